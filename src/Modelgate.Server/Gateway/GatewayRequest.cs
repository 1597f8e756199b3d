using System.Text.Json.Nodes;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;

namespace Modelgate.Server.Gateway;

/// <summary>
/// A gateway request read, checked and resolved (<see cref="Steps.GatewaySteps"/>): the JSON body, the caller's key, the
/// model it resolves to and the chain of models the key may use, in order.
/// </summary>
internal sealed record GatewayRequest(JsonObject Body, VirtualKey Key, ResolvedModel Resolved, string Requested, IReadOnlyList<ResolvedModel> Chain);
