using Modelgate.ConfigFile;
using Modelgate.ConfigFile.LiteLlm;
using Modelgate.Core.Catalog;
using Modelgate.Core.ConfigAsCode;
using Modelgate.Core.Providers;
using Modelgate.Core.Tests.Resolution;

namespace Modelgate.Core.Tests.ConfigFile;

public sealed class LiteLlmImportTests : IDisposable
{
    private const string LiteralKey = "sk-ant-api03-literal-key-in-the-litellm-file-0000";

    // A LiteLLM proxy config of the shapes its documentation shows: Azure deployments load-balanced under one name,
    // Anthropic with a key written in the file, OpenAI chat and embeddings, Ollama, an OpenAI-compatible server, a
    // provider Modelgate has no kind for, fallbacks and settings of every section.
    private const string Realistic = $$"""
        model_list:
          - model_name: gpt-4o
            litellm_params:
              model: azure/gpt-4o-eu
              api_base: https://my-endpoint-europe.openai.azure.com/
              api_key: "os.environ/AZURE_API_KEY_EU"
              api_version: "2024-02-01"
              rpm: 6
          - model_name: gpt-4o
            litellm_params:
              model: azure/gpt-4o-ca
              api_base: https://my-endpoint-canada.openai.azure.com/
              api_key: "os.environ/AZURE_API_KEY_CA"
              rpm: 6
          - model_name: claude-sonnet
            litellm_params:
              model: anthropic/claude-sonnet-4-20250514
              api_key: {{LiteralKey}}
              temperature: 0.2
              top_p: 0.9
              max_tokens: 4096
              input_cost_per_token: 3e-06
              output_cost_per_token: 0.000015
          - model_name: gpt-4o-mini
            litellm_params:
              model: openai/gpt-4o-mini
              api_key: os.environ/OPENAI_API_KEY
              tpm: 200000
              timeout: 30
            model_info:
              id: deployment-4
              base_model: gpt-4o-mini
          - model_name: llama3
            litellm_params:
              model: ollama_chat/llama3:8b
              api_base: http://localhost:11434
          - model_name: opt
            litellm_params:
              model: openai/facebook/opt-125m
              api_base: https://llm.internal.example.com/v1
              api_key: os.environ/INTERNAL_LLM_KEY
          - model_name: text-embedding-3-small
            litellm_params:
              model: openai/text-embedding-3-small
              api_key: os.environ/OPENAI_API_KEY
            model_info:
              mode: embedding
              input_cost_per_token: 0.00000002
          - model_name: gemini-vision
            litellm_params:
              model: vertex_ai/gemini-1.5-pro
              vertex_project: my-project
        litellm_settings:
          drop_params: true
          success_callback: ["langfuse"]
          fallbacks: [{"gpt-4o": ["claude-sonnet", "gpt-4o-mini", "gemini-vision"]}, {"claude-sonnet": ["gpt-4o"]}]
          context_window_fallbacks: [{"gpt-4o": ["claude-sonnet"]}]
        router_settings:
          routing_strategy: simple-shuffle
          model_group_alias: {"gpt-4": "gpt-4o"}
          redis_password: os.environ/REDIS_PASSWORD
        general_settings:
          master_key: sk-master-1234-not-to-be-shown
          database_url: postgresql://litellm:db-password-not-to-be-shown@db/litellm
        environment_variables:
          REDIS_HOST: redis.internal
        guardrails:
          - guardrail_name: pii
        """;

    private readonly CatalogBuilder _catalog = new();

    private static LiteLlmImportResult Import(string yaml)
    {
        var result = LiteLlmImport.Convert(yaml, "litellm.yaml");
        Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors));
        Assert.NotNull(result.Document);
        return result;
    }

    private static IEnumerable<string> NotesAt(LiteLlmImportResult result, string location) =>
        result.Notes.Where(n => n.Location == location).Select(n => n.Message);

    // What applying the document to an empty catalog says, each provider's key resolved to a stand-in value.
    private IReadOnlyList<ConfigPathError> Apply(ConfigDocument document)
    {
        var keys = document.Providers.Where(p => p.ApiKey is not null).ToDictionary(p => p.Name!, p => "resolved-" + p.ApiKey, StringComparer.Ordinal);
        return ConfigTarget.Build(CatalogSnapshot.Empty, document, keys, _catalog.Protector, new BaseUrlPolicy(), prune: false).Errors;
    }

    [Fact]
    public void ARealisticConfig_BecomesProvidersGroupedByKindAddressAndKey()
    {
        var document = Import(Realistic).Document!;

        Assert.Equal(
        [
            new ConfigProvider { Name = "azure-my-endpoint-europe", Type = "azure-openai", BaseUrl = "https://my-endpoint-europe.openai.azure.com/openai/v1/", ApiKey = "env:AZURE_API_KEY_EU" },
            new ConfigProvider { Name = "azure-my-endpoint-canada", Type = "azure-openai", BaseUrl = "https://my-endpoint-canada.openai.azure.com/openai/v1/", ApiKey = "env:AZURE_API_KEY_CA" },
            new ConfigProvider { Name = "anthropic", Type = "anthropic", ApiKey = "env:ANTHROPIC_API_KEY" },
            new ConfigProvider { Name = "openai", Type = "openai", ApiKey = "env:OPENAI_API_KEY" },
            new ConfigProvider { Name = "ollama", Type = "ollama", BaseUrl = "http://localhost:11434" },
            new ConfigProvider { Name = "llm", Type = "openai-compatible", BaseUrl = "https://llm.internal.example.com/v1", ApiKey = "env:INTERNAL_LLM_KEY" },
        ], document.Providers);
    }

    [Fact]
    public void ARealisticConfig_BecomesModelsWithTheirParametersPricesAndLimits()
    {
        var document = Import(Realistic).Document!;

        Assert.Equal(
        [
            new ConfigModel { Model = "azure-my-endpoint-europe/gpt-4o-eu", Limits = new ConfigLimits(RequestsPerMinute: 6) },
            new ConfigModel { Model = "azure-my-endpoint-canada/gpt-4o-ca", Limits = new ConfigLimits(RequestsPerMinute: 6) },
            new ConfigModel
            {
                Model = "anthropic/claude-sonnet-4-20250514", Parameters = new ConfigParameters(0.2, 0.9, 4096), Prices = new ConfigPrices(3m, 15m),
            },
            new ConfigModel { Model = "openai/gpt-4o-mini", Limits = new ConfigLimits(TokensPerMinute: 200_000) },
            new ConfigModel { Model = "ollama/llama3:8b" },
            new ConfigModel { Model = "llm/facebook/opt-125m" },
            new ConfigModel { Model = "openai/text-embedding-3-small", Type = "embedding", Prices = new ConfigPrices(0.02m) },
        ], document.Models);
        Assert.Contains(NotesAt(Import(Realistic), "model_list[3] (gpt-4o-mini)"), m => m == "not converted: litellm_params.timeout, model_info.base_model");
    }

    [Fact]
    public void ModelNames_BecomeAliases_AndModelGroupAliasesToo()
    {
        var document = Import(Realistic).Document!;

        Assert.Equal(new Dictionary<string, ConfigAlias>
        {
            ["gpt-4o"] = new("azure-my-endpoint-europe/gpt-4o-eu"),
            ["claude-sonnet"] = new("anthropic/claude-sonnet-4-20250514"),
            ["llama3"] = new("ollama/llama3:8b"),
            ["opt"] = new("llm/facebook/opt-125m"),
            ["gpt-4"] = new("azure-my-endpoint-europe/gpt-4o-eu"),
        }, document.Aliases);
    }

    [Fact]
    public void AModelNameEqualToItsModelId_NeedsNoAlias()
    {
        var document = Import(Realistic).Document!;

        Assert.False(document.Aliases.ContainsKey("gpt-4o-mini"));
        Assert.False(document.Aliases.ContainsKey("text-embedding-3-small"));
    }

    [Fact]
    public void LoadBalancedDeployments_TheFirstIsTheAliasTarget_TheOthersAreStillModels_AndANoteSaysSo()
    {
        var result = Import(Realistic);

        Assert.Equal("azure-my-endpoint-europe/gpt-4o-eu", result.Document!.Aliases["gpt-4o"].Model);
        Assert.Contains(result.Document.Models, m => m.Model == "azure-my-endpoint-canada/gpt-4o-ca");
        var note = Assert.Single(NotesAt(result, "model_list[1] (gpt-4o)"), m => m.Contains("load balancing", StringComparison.Ordinal));
        Assert.Contains("azure-my-endpoint-canada/gpt-4o-ca", note, StringComparison.Ordinal);
    }

    [Fact]
    public void TheFirstChatAndEmbeddingModels_BecomeTheDefaults_AndNotesSaySo()
    {
        var result = Import(Realistic);

        Assert.Equal(new Dictionary<string, string>
        {
            ["chat"] = "azure-my-endpoint-europe/gpt-4o-eu",
            ["embeddings"] = "openai/text-embedding-3-small",
        }, result.Document!.Defaults);
        Assert.Contains(NotesAt(result, "model_list[0] (gpt-4o)"), m => m.StartsWith("became defaults.chat", StringComparison.Ordinal));
        Assert.Contains(NotesAt(result, "model_list[6] (text-embedding-3-small)"), m => m.StartsWith("became defaults.embeddings", StringComparison.Ordinal));
    }

    [Fact]
    public void TheFallbacksOfTheChatDefault_BecomeChatsFallbacks_AndOthersAreReported()
    {
        var result = Import(Realistic);

        var chain = Assert.Single(result.Document!.Fallbacks);
        Assert.Equal("chat", chain.Key);
        Assert.Equal(["anthropic/claude-sonnet-4-20250514", "openai/gpt-4o-mini"], chain.Value);
        Assert.Contains(NotesAt(result, "litellm_settings.fallbacks[0] (gpt-4o)"), m => m.StartsWith("became fallbacks.chat", StringComparison.Ordinal));
        Assert.Contains(NotesAt(result, "litellm_settings.fallbacks[0] (gpt-4o)"), m => m.Contains("'gemini-vision' is not a converted model_name", StringComparison.Ordinal));
        Assert.Contains(NotesAt(result, "litellm_settings.fallbacks[1] (claude-sonnet)"), m => m.StartsWith("not converted", StringComparison.Ordinal));
        Assert.Contains(NotesAt(result, "litellm_settings.context_window_fallbacks"), m => m.StartsWith("not converted", StringComparison.Ordinal));
    }

    [Fact]
    public void DefaultFallbacks_AreTheDefaultsChain_WhenItHasNoFallbacksOfItsOwn()
    {
        const string yaml = """
            model_list:
              - {model_name: main, litellm_params: {model: openai/gpt-4o, api_key: os.environ/OPENAI_API_KEY}}
              - {model_name: backup, litellm_params: {model: anthropic/claude-haiku-4-5, api_key: os.environ/ANTHROPIC_API_KEY}}
            router_settings:
              default_fallbacks: ["backup"]
            """;

        var result = Import(yaml);

        Assert.Equal(["anthropic/claude-haiku-4-5"], result.Document!.Fallbacks["chat"]);
        Assert.Contains(NotesAt(result, "router_settings.default_fallbacks"), m => m.StartsWith("became fallbacks.chat", StringComparison.Ordinal));
    }

    [Fact]
    public void AnOsEnvironKey_BecomesAnEnvReference()
    {
        var document = Import(Realistic).Document!;

        Assert.Equal("env:OPENAI_API_KEY", document.Providers.Single(p => p.Name == "openai").ApiKey);
        Assert.Equal("env:AZURE_API_KEY_EU", document.Providers.Single(p => p.Name == "azure-my-endpoint-europe").ApiKey);
    }

    [Fact]
    public void ALiteralKey_IsNeverWritten_TheProviderReadsAnEnvironmentVariable_AndANoteSaysWhich()
    {
        var result = Import(Realistic);
        var yaml = ConfigFileWriter.Write(result.Document!);
        var notes = string.Join("\n", result.Notes);

        Assert.DoesNotContain(LiteralKey, yaml, StringComparison.Ordinal);
        Assert.DoesNotContain(LiteralKey[..12], yaml + notes, StringComparison.Ordinal);
        Assert.DoesNotContain(LiteralKey[^12..], yaml + notes, StringComparison.Ordinal);
        Assert.Equal("env:ANTHROPIC_API_KEY", result.Document!.Providers.Single(p => p.Name == "anthropic").ApiKey);
        Assert.Contains(NotesAt(result, "model_list[2] (claude-sonnet)"), m => m.Contains("not copied", StringComparison.Ordinal) && m.Contains("ANTHROPIC_API_KEY", StringComparison.Ordinal));
    }

    [Fact]
    public void AMadeUpKeyVariable_IsNotOneTheFileAlreadyRefersTo()
    {
        const string yaml = """
            model_list:
              - {model_name: a, litellm_params: {model: openai/gpt-4o, api_key: sk-proj-literal-one}}
              - {model_name: b, litellm_params: {model: openai/gpt-4o-mini, api_key: os.environ/OPENAI_API_KEY}}
            """;

        var document = Import(yaml).Document!;

        Assert.Equal(["env:OPENAI_API_KEY_2", "env:OPENAI_API_KEY"], document.Providers.Select(p => p.ApiKey));
        Assert.Equal(["openai", "openai-2"], document.Providers.Select(p => p.Name));
    }

    [Fact]
    public void AbsentKeys_StayAbsent_AndNoneIsReadAsNoKey()
    {
        const string yaml = """
            model_list:
              - {model_name: local, litellm_params: {model: ollama/llama3}}
              - {model_name: vllm, litellm_params: {model: hosted_vllm/meta-llama/Llama-3.1-8B-Instruct, api_base: "http://10.0.0.5:8000/v1", api_key: none}}
            """;

        var result = Import(yaml);

        Assert.All(result.Document!.Providers, p => Assert.Null(p.ApiKey));
        Assert.Contains(NotesAt(result, "model_list[1] (vllm)"), m => m.Contains("read as no key", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("3e-06", "3")]
    [InlineData("2.5e-06", "2.5")]
    [InlineData("0.000000150", "0.15")]
    [InlineData("\"0.0000006\"", "0.6")]
    [InlineData("1.25E-7", "0.125")]
    [InlineData("0.000075", "75")]
    [InlineData("0", "0")]
    public void ACostPerToken_BecomesAPricePerMillion_Exactly(string perToken, string perMillion)
    {
        var yaml = $"model_list:\n  - {{model_name: m, litellm_params: {{model: openai/gpt-4o, input_cost_per_token: {perToken}}}}}\n";

        var model = Assert.Single(Import(yaml).Document!.Models);

        Assert.Equal(perMillion, model.Prices!.InputPerMillion!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void CostsInModelInfo_AndTheCachedInputCost_AreConvertedToo()
    {
        const string yaml = """
            model_list:
              - model_name: m
                litellm_params: {model: openai/gpt-4o}
                model_info: {input_cost_per_token: 2.5e-06, output_cost_per_token: 1.0e-05, cache_read_input_token_cost: 1.25e-06}
            """;

        var model = Assert.Single(Import(yaml).Document!.Models);

        Assert.Equal(new ConfigPrices(2.5m, 10m, 1.25m), model.Prices);
    }

    [Fact]
    public void ACostFinerThanSixDecimalsPerMillion_IsNotConverted_AndANoteSaysSo()
    {
        const string yaml = "model_list:\n  - {model_name: m, litellm_params: {model: openai/gpt-4o, input_cost_per_token: 1.5e-13}}\n";

        var result = Import(yaml);

        Assert.Null(Assert.Single(result.Document!.Models).Prices);
        Assert.Contains(NotesAt(result, "model_list[0] (m)"), m => m.Contains("input_cost_per_token", StringComparison.Ordinal) && m.Contains("not converted", StringComparison.Ordinal));
    }

    [Fact]
    public void OpenAIWithAnApiBaseElsewhere_IsOpenAICompatible_AndWithOpenAIsOwnStaysOpenAI()
    {
        const string yaml = """
            model_list:
              - {model_name: a, litellm_params: {model: openai/gpt-4o, api_base: "https://api.openai.com/v1/"}}
              - {model_name: b, litellm_params: {model: openai/Meta-Llama-3-8B-Instruct, api_base: "https://api.awanllm.com/v1"}}
              - {model_name: c, litellm_params: {model: openai/qwen, api_base: "http://0.0.0.0:4000/v1"}}
            """;

        var result = Import(yaml);

        Assert.Equal(
            [("openai", "openai", null), ("awanllm", "openai-compatible", "https://api.awanllm.com/v1"), ("openai-compatible", "openai-compatible", "http://127.0.0.1:4000/v1")],
            result.Document!.Providers.Select(p => (p.Name, p.Type, p.BaseUrl)));
        Assert.Contains(NotesAt(result, "model_list[2] (c)"), m => m.Contains("0.0.0.0", StringComparison.Ordinal));
    }

    [Fact]
    public void AzureApiVersion_IsDropped_WithANote_ForTheV1Api()
    {
        var result = Import(Realistic);

        Assert.Contains(NotesAt(result, "model_list[0] (gpt-4o)"), m => m.StartsWith("api_version is not used", StringComparison.Ordinal) && m.Contains("/openai/v1/", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Notes, n => n.Location == "model_list[1] (gpt-4o)" && n.Message.Contains("api_version", StringComparison.Ordinal));
    }

    [Fact]
    public void ProvidersWithoutAModelgateKind_Wildcards_AndOtherModes_AreReportedNotConverted()
    {
        const string yaml = """
            model_list:
              - {model_name: gemini-vision, litellm_params: {model: vertex_ai/gemini-1.5-pro}}
              - {model_name: "*", litellm_params: {model: "*"}}
              - {model_name: dalle, litellm_params: {model: openai/dall-e-3}, model_info: {mode: image_generation}}
              - {model_name: kept, litellm_params: {model: groq/llama-3.1-8b-instant, api_key: os.environ/GROQ_API_KEY}}
            """;

        var result = Import(yaml);

        Assert.Equal(["groq/llama-3.1-8b-instant"], result.Document!.Models.Select(m => m.Model));
        Assert.Contains(NotesAt(result, "model_list[0] (gemini-vision)"), m => m.Contains("'vertex_ai'", StringComparison.Ordinal) && m.EndsWith("not converted", StringComparison.Ordinal));
        Assert.Contains(NotesAt(result, "model_list[1] (*)"), m => m.Contains("wildcard", StringComparison.Ordinal));
        Assert.Contains(NotesAt(result, "model_list[2] (dalle)"), m => m.Contains("image_generation", StringComparison.Ordinal));
    }

    [Fact]
    public void SettingsSections_AreReportedOneNoteEach_ByKeyName_NeverByValue()
    {
        var result = Import(Realistic);
        var notes = string.Join("\n", result.Notes);

        Assert.Contains(NotesAt(result, "general_settings"), m => m.Contains("master_key, database_url", StringComparison.Ordinal));
        Assert.Contains(NotesAt(result, "router_settings"), m => m.Contains("routing_strategy, redis_password", StringComparison.Ordinal));
        Assert.Contains(NotesAt(result, "litellm_settings"), m => m.Contains("drop_params, success_callback", StringComparison.Ordinal));
        Assert.Single(NotesAt(result, "environment_variables"));
        Assert.Single(NotesAt(result, "guardrails"));
        foreach (var secret in new[] { "sk-master-1234", "db-password", "REDIS_PASSWORD", "redis.internal", "langfuse", "simple-shuffle" })
        {
            Assert.DoesNotContain(secret, notes, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheWrittenFile_ReadsBackToTheSameDocument_AndConfigTargetAcceptsIt()
    {
        var document = Import(Realistic).Document!;
        var yaml = ConfigFileWriter.Write(document);

        var (read, errors) = ConfigFileReader.Read(yaml, "modelgate.yaml");

        Assert.Empty(errors);
        Assert.Equal(yaml, ConfigFileWriter.Write(read!));
        Assert.Empty(Apply(read!));
    }

    [Theory]
    [InlineData("openai/gpt-4o", "")]
    [InlineData("azure/my-deployment", "api_base: 'https://res.openai.azure.com', api_version: 2024-10-21")]
    [InlineData("anthropic/claude-opus-4-1", "api_base: 'https://api.anthropic.com/v1/messages'")]
    [InlineData("ollama/qwen3", "")]
    [InlineData("ollama_chat/qwen3", "api_base: 'http://ollama:11434'")]
    [InlineData("hosted_vllm/Qwen/Qwen3-8B", "api_base: 'http://vllm:8000/v1'")]
    [InlineData("groq/llama-3.3-70b-versatile", "")]
    [InlineData("mistral/mistral-large-latest", "")]
    [InlineData("deepseek/deepseek-chat", "")]
    [InlineData("gemini/gemini-2.5-flash", "")]
    [InlineData("bedrock/converse/openai.gpt-oss-120b-1:0", "aws_region_name: us-west-2")]
    [InlineData("gpt-4.1", "")]
    [InlineData("claude-3-5-haiku-latest", "")]
    public void EveryConvertedProvider_GivesAKindModelgateHas_WithTheAddressItNeeds_AndConfigTargetAcceptsIt(string model, string more)
    {
        var yaml = $"model_list:\n  - {{model_name: m, litellm_params: {{model: \"{model}\", api_key: os.environ/KEY{(more.Length > 0 ? ", " + more : "")}}}}}\n";

        var document = Import(yaml).Document!;

        var provider = Assert.Single(document.Providers);
        Assert.True(ProviderKinds.TryParse(provider.Type, out var kind), provider.Type);
        Assert.True(!kind.RequiresBaseUrl || provider.BaseUrl is not null, $"{provider.Type} needs a base_url");
        Assert.Empty(Apply(document));
    }

    [Fact]
    public void BedrockAndAnthropicAddresses_AreWrittenAsModelgatesKindsTakeThem()
    {
        const string yaml = """
            model_list:
              - {model_name: a, litellm_params: {model: "bedrock/converse/openai.gpt-oss-20b-1:0", aws_region_name: eu-central-1, aws_secret_access_key: os.environ/AWS_SECRET}}
              - {model_name: b, litellm_params: {model: anthropic/claude-opus-4-1, api_base: "https://anthropic.proxy.example.com/v1/messages"}}
            """;

        var result = Import(yaml);

        Assert.Equal(
            [("bedrock-eu-central-1", "https://bedrock-runtime.eu-central-1.amazonaws.com/openai/v1"), ("anthropic", "https://anthropic.proxy.example.com/v1")],
            result.Document!.Providers.Select(p => (p.Name, p.BaseUrl)));
        Assert.Equal("bedrock-eu-central-1/openai.gpt-oss-20b-1:0", result.Document.Models[0].Model);
        Assert.Contains(NotesAt(result, "model_list[0] (a)"), m => m.Contains("Bedrock API key", StringComparison.Ordinal));
        Assert.Contains(NotesAt(result, "model_list[0] (a)"), m => m == "not converted: litellm_params.aws_secret_access_key");
    }

    [Fact]
    public void ModelNamesThatCannotBeAliases_AreReported_AndTheFileStillApplies()
    {
        const string yaml = """
            model_list:
              - {model_name: chat, litellm_params: {model: openai/gpt-4o, api_key: os.environ/OPENAI_API_KEY}}
              - {model_name: "my model", litellm_params: {model: openai/gpt-4o-mini, api_key: os.environ/OPENAI_API_KEY}}
              - {model_name: "gpt-4o-mini", litellm_params: {model: openai/gpt-4.1-mini, api_key: os.environ/OPENAI_API_KEY}}
            """;

        var result = Import(yaml);

        Assert.Empty(result.Document!.Aliases);
        Assert.Contains(NotesAt(result, "model_list[0] (chat)"), m => m.Contains("purpose", StringComparison.Ordinal));
        Assert.Contains(NotesAt(result, "model_list[1] (my model)"), m => m.Contains("cannot be a Modelgate alias", StringComparison.Ordinal));
        Assert.Contains(NotesAt(result, "model_list[2] (gpt-4o-mini)"), m => m.Contains("model id of openai/gpt-4o-mini", StringComparison.Ordinal));
        Assert.Empty(Apply(result.Document));
    }

    [Fact]
    public void OneModelIdOfferedByTwoProviders_UnderItsOwnName_IsReportedAsAmbiguous()
    {
        const string yaml = """
            model_list:
              - {model_name: gpt-4o, litellm_params: {model: openai/gpt-4o, api_key: os.environ/OPENAI_KEY_A}}
              - {model_name: gpt-4o, litellm_params: {model: openai/gpt-4o, api_key: os.environ/OPENAI_KEY_B}}
            """;

        var result = Import(yaml);

        Assert.Equal(["openai/gpt-4o", "openai-2/gpt-4o"], result.Document!.Models.Select(m => m.Model));
        Assert.Empty(result.Document.Aliases);
        Assert.Contains(NotesAt(result, "model_list[0] (gpt-4o)"), m => m.Contains("ambiguous", StringComparison.Ordinal));
    }

    [Fact]
    public void TheSameModelTwiceOnOneProvider_IsOneModel_AndANoteSaysWhichSettingsWereKept()
    {
        const string yaml = """
            model_list:
              - {model_name: fast, litellm_params: {model: openai/gpt-4o, api_key: os.environ/OPENAI_API_KEY, temperature: 0.1}}
              - {model_name: creative, litellm_params: {model: openai/gpt-4o, api_key: os.environ/OPENAI_API_KEY, temperature: 1.2}}
            """;

        var result = Import(yaml);

        var model = Assert.Single(result.Document!.Models);
        Assert.Equal(0.1, model.Parameters!.Temperature);
        Assert.Equal("openai/gpt-4o", result.Document.Aliases["creative"].Model);
        Assert.Contains(NotesAt(result, "model_list[1] (creative)"), m => m.Contains("not kept", StringComparison.Ordinal));
        Assert.Empty(Apply(result.Document));
    }

    [Fact]
    public void AnApiBaseFromTheEnvironment_IsNotConverted_AndTheNoteNamesTheVariable()
    {
        const string yaml = """
            model_list:
              - {model_name: gpt-4, litellm_params: {model: azure/chatgpt-v-2, api_base: os.environ/AZURE_API_BASE, api_key: os.environ/AZURE_API_KEY}}
            """;

        var result = Import(yaml);

        Assert.Empty(result.Document!.Models);
        Assert.Contains(NotesAt(result, "model_list[0] (gpt-4)"), m => m.Contains("AZURE_API_BASE", StringComparison.Ordinal) && m.EndsWith("not converted", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://user:s3cret-in-url@llm.example.com/v1")]
    [InlineData("https://llm.example.com/v1?api-key=s3cret-in-url")]
    public void AnApiBaseThatMayHoldACredential_IsNotConverted_NorEchoed(string apiBase)
    {
        var yaml = $"model_list:\n  - {{model_name: m, litellm_params: {{model: openai/qwen, api_base: '{apiBase}'}}}}\n";

        var result = Import(yaml);

        Assert.Empty(result.Document!.Models);
        Assert.Contains(NotesAt(result, "model_list[0] (m)"), m => m.EndsWith("not converted", StringComparison.Ordinal));
        Assert.DoesNotContain("s3cret", string.Join("\n", result.Notes) + ConfigFileWriter.Write(result.Document), StringComparison.Ordinal);
    }

    [Fact]
    public void AnchorsMergeKeysAndCredentials_AreFollowed()
    {
        const string yaml = """
            credential_list:
              - credential_name: azure-eu
                credential_values: {api_key: os.environ/AZURE_EU_KEY, api_base: "https://eu-res.openai.azure.com"}
                credential_info: {description: EU}
            x-defaults: &defaults
              api_key: os.environ/OPENAI_API_KEY
              rpm: 100
            model_list:
              - model_name: small
                litellm_params:
                  <<: *defaults
                  model: openai/gpt-4o-mini
              - model_name: eu
                litellm_params: {model: azure/gpt-4o, litellm_credential_name: azure-eu}
            """;

        var result = Import(yaml);

        Assert.Equal(
            [("openai", "env:OPENAI_API_KEY", null), ("azure-eu-res", "env:AZURE_EU_KEY", "https://eu-res.openai.azure.com/openai/v1/")],
            result.Document!.Providers.Select(p => (p.Name, p.ApiKey, p.BaseUrl)));
        Assert.Equal(new ConfigLimits(RequestsPerMinute: 100), result.Document.Models[0].Limits);
        Assert.Single(NotesAt(result, "credential_list"));
    }

    [Fact]
    public void UnreadableYaml_IsAnError_NamingTheFileLineAndColumn()
    {
        const string yaml = "model_list:\n  - model_name: a\n    litellm_params: {model: openai/gpt-4o\n";

        var result = LiteLlmImport.Convert(yaml, "broken.yaml");

        Assert.Null(result.Document);
        var error = Assert.Single(result.Errors);
        Assert.Equal("broken.yaml", error.File);
        Assert.True(error.Line >= 3, error.ToString());
        Assert.StartsWith($"broken.yaml:{error.Line}:{error.Column}: ", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("model_list: {model_name: a}\n", 1, 13, "model_list")]
    [InlineData("- model_name: a\n", 1, 1, "")]
    [InlineData("", 1, 1, "")]
    public void AFileNotShapedLikeALiteLlmConfig_IsAnError_WithItsPosition(string yaml, int line, int column, string path)
    {
        var result = LiteLlmImport.Convert(yaml, "c.yaml");

        Assert.Null(result.Document);
        var error = Assert.Single(result.Errors);
        Assert.Equal((line, column, path), (error.Line, error.Column, error.Path));
    }

    public void Dispose() => _catalog.Dispose();
}
