using System.Text.Json.Nodes;

namespace Modelgate.Server.Gateway.Steps;

/// <summary>A request body read and checked by <see cref="ReadBodyStep"/>, with the <c>model</c> it names (an HttpContext feature).</summary>
internal sealed record CheckedBody(JsonObject Body, string Requested);
