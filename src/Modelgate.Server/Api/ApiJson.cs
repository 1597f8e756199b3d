using System.Text.Json;
using System.Text.Json.Serialization;

namespace Modelgate.Server.Api;

/// <summary>The admin API's JSON conventions: snake_case, unknown or repeated fields refused.</summary>
internal static class ApiJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowDuplicateProperties = false;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new OptionalJsonConverterFactory());
    }
}
