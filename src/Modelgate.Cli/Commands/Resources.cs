using Modelgate.Cli.Output;

namespace Modelgate.Cli.Commands;

/// <summary>The catalog objects that <c>list</c> and <c>get</c> know.</summary>
public static class Resources
{
    /// <summary>LLM providers.</summary>
    public static readonly Resource Providers = new("provider", "providers", "llm-providers",
    [
        Column.Field("ID", "id"), Column.Field("NAME", "name"), Column.Field("TYPE", "type"), Column.Field("BASE URL", "base_url"),
        Column.Field("ACTIVE", "is_active"), Column.Field("DEFAULT", "is_default"), Column.Field("KEY", "api_key_mask"),
        Column.Field("MODELS", "model_count"),
    ], ByIdOnly: true);

    /// <summary>Models.</summary>
    public static readonly Resource Models = new("model", "models", "llm-models",
    [
        Column.Field("ID", "id"), Column.Field("MODEL", "model_id"), Column.Field("PROVIDER", "provider_name"), Column.Field("TYPE", "type"),
        Column.Field("ACTIVE", "is_active"), Column.Field("IN $/M", "input_price_per_million"),
        Column.Field("OUT $/M", "output_price_per_million"),
    ], ByIdOnly: false);

    /// <summary>
    /// Models' prices (USD per million tokens), as calls are costed now; <c>GET /api/v1/llm-prices/{model}</c> has each
    /// model's past periods.
    /// </summary>
    public static readonly Resource Prices = new("price", "prices", "llm-models",
    [
        Column.Field("MODEL", "model_id"), Column.Field("PROVIDER", "provider_name"), Column.Field("TYPE", "type"),
        Column.Field("INPUT $/M", "input_price_per_million"), Column.Field("OUTPUT $/M", "output_price_per_million"),
        Column.Field("CACHED INPUT $/M", "cached_input_price_per_million"),
    ], ByIdOnly: false);

    /// <summary>Aliases.</summary>
    public static readonly Resource Aliases = new("alias", "aliases", "aliases",
    [
        Column.Field("NAME", "name"), Column.Field("MODEL", "model_name"), Column.Field("PROVIDER", "provider_name"),
        Column.Field("DEPRECATED", "deprecated"), Column.Field("RESOLVES TO", "resolves_to.model"), Column.Field("ERROR", "resolve_error"),
    ], ByIdOnly: false);

    /// <summary>Virtual keys (never their secrets: the API has none to give).</summary>
    public static readonly Resource Keys = new("key", "keys", "keys",
    [
        Column.Field("ID", "id"), Column.Field("NAME", "name"), Column.Field("TEAM", "team"), Column.Field("PREFIX", "key_prefix"),
        Column.Field("STATUS", "status"),
        Column.Field("BUDGET USD", "budget_usd"), Column.Field("PERIOD", "budget_period"), Column.Field("EXPIRES", "expires_at"),
    ], ByIdOnly: true);

    /// <summary>Experiments.</summary>
    public static readonly Resource Experiments = new("experiment", "experiments", "experiments",
    [
        Column.Field("ID", "id"), Column.Field("NAME", "name"), Column.Field("TARGET", "target"), Column.Field("PHASE", "phase"),
        new("VARIANTS", row => string.Join(", ", row.GetProperty("variants").EnumerateArray().Select(v => JsonText.At(v, "name")))),
        Column.Field("STARTS", "starts_at"), Column.Field("ENDS", "ends_at"),
    ], ByIdOnly: false);

    /// <summary>Every resource <c>list</c> and <c>get</c> take as a plain collection.</summary>
    public static readonly IReadOnlyList<Resource> All = [Providers, Models, Prices, Aliases, Keys, Experiments];
}
