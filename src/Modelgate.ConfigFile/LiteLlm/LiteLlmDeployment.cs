namespace Modelgate.ConfigFile.LiteLlm;

/// <summary>
/// One entry of LiteLLM's <c>model_list</c> as converted, before its provider has a name: where it was, the public name
/// clients call (<c>model_name</c>), the provider it needs (kind, address, key reference) and the model.
/// </summary>
/// <param name="Index">Its place in <c>model_list</c>.</param>
/// <param name="Location">How notes name it: <c>model_list[3] (gpt-4o)</c>.</param>
/// <param name="ModelName">LiteLLM's <c>model_name</c>.</param>
/// <param name="Provider">The Modelgate kind it maps to.</param>
/// <param name="BaseUrl">The provider's base_url; null for the kind's own address.</param>
/// <param name="Key">
/// How the key was given, to group deployments by it: <c>env:NAME</c>, <c>literal:&lt;value&gt;</c> (never written
/// anywhere: only compared), or null for none.
/// </param>
/// <param name="NameHint">What the provider's name is made from besides its kind (a host's first label, a region).</param>
/// <param name="ModelId">The upstream model id.</param>
/// <param name="Model">The model, without its <c>provider/model_id</c> reference yet.</param>
/// <param name="HasApiVersion">An Azure deployment that named an <c>api_version</c>.</param>
internal sealed record LiteLlmDeployment(
    int Index, string Location, string ModelName, LiteLlmProvider Provider, string? BaseUrl, string? Key, string? NameHint, string ModelId, ConfigModel Model,
    bool HasApiVersion)
{
    /// <summary>The provider it belongs to: deployments alike in kind, address and key share one.</summary>
    public (string Kind, string BaseUrl, string Key) Group => (Provider.Kind, BaseUrl ?? "", Key ?? "");

    public bool IsEmbedding => Model.Type == "embedding";

    public bool IsLiteralKey => Key?.StartsWith("literal:", StringComparison.Ordinal) == true;

    /// <summary>Its location only: the record's own text would show a literal key.</summary>
    public override string ToString() => Location;
}
