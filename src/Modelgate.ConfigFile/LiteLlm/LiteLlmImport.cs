using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Modelgate.ConfigFile.LiteLlm;

/// <summary>
/// Converts a LiteLLM proxy configuration (its <c>config.yaml</c>) into a Modelgate configuration file, for LiteLLM users
/// moving to Modelgate (<c>modelgate import --from litellm</c>), and says in notes what it did not convert or converted
/// with a choice. The rules:
/// <list type="bullet">
/// <item>Each <c>model_list</c> entry becomes a model <c>provider/model_id</c>: the provider from the model's prefix
/// (<c>openai/</c>, <c>azure/</c>, <c>anthropic/</c>, <c>ollama/</c>, <c>ollama_chat/</c>, <c>hosted_vllm/</c>,
/// <c>groq/</c>, <c>mistral/</c>, <c>deepseek/</c>, <c>gemini/</c>, <c>bedrock/</c>; <c>openai/</c> with an
/// <c>api_base</c> elsewhere is an OpenAI-compatible server), <c>temperature</c>, <c>top_p</c>, <c>max_tokens</c> as
/// its parameters, <c>rpm</c>/<c>tpm</c> as its limits, costs per token as prices per million tokens (exact decimal
/// arithmetic), <c>model_info.mode: embedding</c> as its type. Other providers, modes and wildcards are left out.</item>
/// <item>Entries alike in kind, address and key share one provider, named after its kind (<c>openai</c>), Azure
/// resource (<c>azure-&lt;resource&gt;</c>), Bedrock region or server host, made unique with <c>-2</c>, <c>-3</c> in
/// the order of the file. Azure is called through its v1 API, so <c>api_version</c> is dropped.</item>
/// <item><c>os.environ/NAME</c> keys become <c>env:NAME</c>; a key written in the file is never copied: the provider
/// refers to <c>env:&lt;PROVIDER&gt;_API_KEY</c> instead and a note says to put the key there.</item>
/// <item>A <c>model_name</c> other than the model id becomes an alias; of several entries under one name (LiteLLM's
/// load balancing, which Modelgate does not do) the first is the alias's target and the others are models of their
/// own. <c>router_settings.model_group_alias</c> entries become aliases too.</item>
/// <item>The first chat model becomes <c>defaults.chat</c> and the first embedding model <c>defaults.embeddings</c>;
/// the fallbacks of a default's <c>model_name</c> (or <c>default_fallbacks</c>) become that purpose's fallbacks.</item>
/// <item>Every other setting is reported by section and key name, never by value (they may be secrets).</item>
/// </list>
/// </summary>
public static class LiteLlmImport
{
    /// <summary>
    /// The converted document and its notes; or, when the YAML cannot be read or is not a LiteLLM configuration's shape,
    /// no document and errors naming <paramref name="fileName"/>, line and column.
    /// </summary>
    public static LiteLlmImportResult Convert(string yamlText, string fileName)
    {
        ConfigFileError Error(YamlNode? node, string path, string message) =>
            new(fileName, node is null ? 1 : (int)node.Start.Line, node is null ? 1 : (int)node.Start.Column, path, message);

        YamlStream stream;
        try
        {
            stream = new YamlStream();
            stream.Load(new StringReader(yamlText));
        }
        catch (YamlException e)
        {
            var message = e.Message.Length > 0 && char.IsUpper(e.Message[0]) ? char.ToLowerInvariant(e.Message[0]) + e.Message[1..] : e.Message;
            return new(null, [new ConfigFileError(fileName, (int)e.Start.Line, (int)e.Start.Column, "", message)], []);
        }

        if (stream.Documents.Count == 0)
        {
            return new(null, [Error(null, "", "the file is empty: a LiteLLM configuration has a model_list")], []);
        }

        if (stream.Documents.Count > 1)
        {
            return new(null, [Error(stream.Documents[1].RootNode, "", "a LiteLLM configuration is one YAML document; this is a second one")], []);
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return new(null, [Error(stream.Documents[0].RootNode, "", "a LiteLLM configuration is a mapping of sections (model_list, litellm_settings, router_settings, general_settings)")], []);
        }

        var conversion = new LiteLlmConversion(root);
        var modelList = LiteLlmYaml.Entries(root).FirstOrDefault(e => e.Key == "model_list").Value;
        var absent = modelList is null || (modelList is YamlScalarNode && LiteLlmYaml.Text(modelList) is null);
        if (!absent && modelList is not YamlSequenceNode)
        {
            return new(null, [Error(modelList, "model_list", "model_list must be a list of deployments (model_name, litellm_params)")], []);
        }

        var document = conversion.Convert(modelList as YamlSequenceNode);
        return new(document, [], conversion.Notes);
    }
}
