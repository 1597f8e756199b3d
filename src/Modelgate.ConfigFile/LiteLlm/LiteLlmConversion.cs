using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Modelgate.ConfigFile.LiteLlm;

/// <summary>
/// One conversion of a LiteLLM configuration's sections into a <see cref="ConfigDocument"/>, noting as it goes what it
/// leaves out or decides. See <see cref="LiteLlmImport"/> for the rules.
/// </summary>
internal sealed class LiteLlmConversion
{
    private const string Chat = "chat";
    private const string Embeddings = "embeddings";

    private readonly List<LiteLlmNote> _notes = [];
    private readonly Dictionary<string, YamlNode> _sections;
    private readonly List<string> _sectionOrder;

    public LiteLlmConversion(YamlMappingNode root)
    {
        var entries = LiteLlmYaml.Entries(root);
        _sections = entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        _sectionOrder = [.. entries.Select(e => e.Key)];
    }

    /// <summary>The notes, those on model_list's entries in the entries' order, then the others as they came.</summary>
    public IReadOnlyList<LiteLlmNote> Notes => [.. _notes.OrderBy(n => Place(n.Location))];

    private static int Place(string location)
    {
        const string Prefix = "model_list[";
        var end = location.IndexOf(']', StringComparison.Ordinal);
        return location.StartsWith(Prefix, StringComparison.Ordinal) && end > Prefix.Length
            && int.TryParse(location.AsSpan(Prefix.Length, end - Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? index
            : int.MaxValue;
    }

    private void Note(string location, string message) => _notes.Add(new(location, message));

    private Dictionary<string, YamlNode> Section(string name) => LiteLlmYaml.Mapping(_sections.GetValueOrDefault(name)) ?? [];

    public ConfigDocument Convert(YamlSequenceNode? modelList)
    {
        var credentials = Credentials();
        var deployments = new List<LiteLlmDeployment>();
        if (modelList is null)
        {
            Note("model_list", "absent: there are no models to convert (a LiteLLM proxy that keeps its models in its database needs them exported into model_list first)");
        }
        else
        {
            for (var i = 0; i < modelList.Children.Count; i++)
            {
                if (Deployment(i, modelList.Children[i], credentials) is { } deployment)
                {
                    deployments.Add(deployment);
                }
            }
        }

        var (providers, providerOf) = Providers(deployments);
        var (models, refs) = Models(deployments, providerOf);
        var groups = deployments.GroupBy(d => d.ModelName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var aliases = Aliases(groups, models, refs);
        var (defaults, defaultDeployments) = Defaults(deployments, refs);
        var fallbacks = Fallbacks(defaultDeployments, groups, refs);
        Settings();
        return new ConfigDocument { Providers = providers, Models = models, Defaults = defaults, Fallbacks = fallbacks, Aliases = aliases };
    }

    // credential_list: [{credential_name, credential_values: {api_key, api_base, api_version}}], named by litellm_credential_name.
    private Dictionary<string, Dictionary<string, YamlNode>> Credentials()
    {
        var result = new Dictionary<string, Dictionary<string, YamlNode>>(StringComparer.Ordinal);
        if (_sections.GetValueOrDefault("credential_list") is YamlSequenceNode list)
        {
            foreach (var item in list.Children)
            {
                var entry = LiteLlmYaml.Mapping(item);
                if (LiteLlmYaml.Text(entry?.GetValueOrDefault("credential_name")) is { } name && LiteLlmYaml.Mapping(entry!.GetValueOrDefault("credential_values")) is { } values)
                {
                    result.TryAdd(name, values);
                }
            }
        }

        return result;
    }

    private static readonly HashSet<string> ConvertedParameters = new(StringComparer.Ordinal)
    {
        "model", "api_key", "api_base", "rpm", "tpm", "temperature", "top_p", "max_tokens", "input_cost_per_token", "output_cost_per_token",
        "cache_read_input_token_cost", "custom_llm_provider", "litellm_credential_name",
    };

    private static readonly HashSet<string> ConvertedInfo = new(StringComparer.Ordinal)
    {
        "id", "mode", "input_cost_per_token", "output_cost_per_token", "cache_read_input_token_cost",
    };

    private static readonly HashSet<string> ConvertedEntry = new(StringComparer.Ordinal) { "model_name", "litellm_params", "model_info", "rpm", "tpm" };

    private bool _limitsNoted;

    private LiteLlmDeployment? Deployment(int index, YamlNode node, Dictionary<string, Dictionary<string, YamlNode>> credentials)
    {
        var entry = LiteLlmYaml.Mapping(node);
        var name = LiteLlmYaml.Text(entry?.GetValueOrDefault("model_name"));
        var at = name is null ? $"model_list[{index}]" : $"model_list[{index}] ({name})";
        LiteLlmDeployment? Skip(string why)
        {
            Note(at, $"{why}; not converted");
            return null;
        }

        if (entry is null)
        {
            return Skip("not a mapping of model_name and litellm_params");
        }

        if (name is null)
        {
            return Skip("no model_name");
        }

        var parameters = LiteLlmYaml.Mapping(entry.GetValueOrDefault("litellm_params"));
        if (parameters is null)
        {
            return Skip("no litellm_params");
        }

        if (LiteLlmYaml.Text(parameters.GetValueOrDefault("litellm_credential_name")) is { } credentialName)
        {
            if (!credentials.TryGetValue(credentialName, out var values))
            {
                return Skip($"litellm_credential_name '{credentialName}' is not in credential_list");
            }

            foreach (var (field, value) in values)
            {
                parameters.TryAdd(field, value);
            }
        }

        var info = LiteLlmYaml.Mapping(entry.GetValueOrDefault("model_info")) ?? [];
        if (LiteLlmYaml.Text(parameters.GetValueOrDefault("model")) is not { Length: > 0 } model)
        {
            return Skip("litellm_params has no model");
        }

        if (model.Contains('*', StringComparison.Ordinal) || name.Contains('*', StringComparison.Ordinal))
        {
            return Skip("a wildcard route ('*'): Modelgate lists each model it serves, so add the ones you use by hand");
        }

        // The provider: custom_llm_provider, else the model's prefix, else what LiteLLM would infer from the name.
        var slash = model.IndexOf('/', StringComparison.Ordinal);
        string prefix;
        string modelId;
        if (LiteLlmYaml.Text(parameters.GetValueOrDefault("custom_llm_provider")) is { } custom)
        {
            prefix = custom;
            modelId = slash > 0 && model[..slash] == custom ? model[(slash + 1)..] : model;
        }
        else if (slash > 0)
        {
            (prefix, modelId) = (model[..slash], model[(slash + 1)..]);
        }
        else if (LiteLlmProvider.Infer(model) is { } inferred)
        {
            (prefix, modelId) = (inferred, model);
            Note(at, $"'{model}' has no provider prefix: taken as {inferred}/{model}, the provider LiteLLM infers from the name");
        }
        else
        {
            return Skip($"'{model}' has no provider prefix (such as openai/ or anthropic/) and its provider is not plain from its name");
        }

        if (!LiteLlmProvider.ByPrefix.TryGetValue(prefix, out var provider))
        {
            return Skip($"LiteLLM provider '{prefix}' has no Modelgate provider kind (converted: {string.Join(", ", LiteLlmProvider.Prefixes.Select(p => p + "/"))})");
        }

        if (provider.Kind == LiteLlmProvider.Bedrock)
        {
            foreach (var route in new[] { "converse/", "invoke/" })
            {
                modelId = modelId.StartsWith(route, StringComparison.Ordinal) ? modelId[route.Length..] : modelId;
            }
        }

        if (modelId.Length == 0)
        {
            return Skip("the model has no name after its provider prefix");
        }

        // The address.
        Uri? apiBase = null;
        var apiBaseText = LiteLlmYaml.Text(parameters.GetValueOrDefault("api_base"));
        if (apiBaseText is not null)
        {
            if (LiteLlmYaml.EnvironmentName(apiBaseText) is { } variable)
            {
                return Skip($"api_base is read from the environment variable {variable}, which a Modelgate file cannot refer to: add this model by hand, with the address as its provider's base_url");
            }

            if (!Uri.TryCreate(apiBaseText.Trim(), UriKind.Absolute, out apiBase) || apiBase.Scheme is not ("http" or "https"))
            {
                return Skip("api_base is not an http(s) URL");
            }

            if (apiBase.UserInfo.Length > 0)
            {
                return Skip("api_base holds credentials (user:password@host), which are not copied: add this model by hand, with the password as its provider's api_key");
            }

            if (apiBase.Query.Length > 0)
            {
                return Skip("api_base has a query string, which may hold a key and is not copied: add this model by hand");
            }

            if (apiBase.Host is "0.0.0.0" or "[::]")
            {
                var unspecified = apiBase.Host;
                apiBase = new UriBuilder(apiBase) { Host = unspecified == "0.0.0.0" ? "127.0.0.1" : "[::1]" }.Uri;
                Note(at, $"api_base names the unspecified address {unspecified}, which Modelgate refuses as a base_url: written as loopback ({apiBase.Host})");
            }

            if (provider.Kind == LiteLlmProvider.OpenAI && !provider.IsDefault(apiBase.OriginalString.Trim()))
            {
                provider = LiteLlmProvider.Compatible;
            }
        }

        string? baseUrl;
        string? hint = null;
        switch (provider.Kind)
        {
            case LiteLlmProvider.AzureOpenAI:
                if (apiBase is null)
                {
                    return Skip("azure/ without an api_base (LiteLLM may read it from AZURE_API_BASE): Modelgate's azure-openai provider needs its resource's address");
                }

                baseUrl = $"{apiBase.Scheme}://{apiBase.Authority}/openai/v1/";
                hint = HostLabel(apiBase);
                break;
            case LiteLlmProvider.Bedrock:
                var region = LiteLlmYaml.Text(parameters.GetValueOrDefault("aws_region_name"));
                if (region is not { Length: > 0 } || LiteLlmYaml.EnvironmentName(region) is not null || !region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
                {
                    return Skip("bedrock/ without a literal aws_region_name: Modelgate's bedrock provider needs its region's endpoint (https://bedrock-runtime.<region>.amazonaws.com/openai/v1)");
                }

                baseUrl = $"https://bedrock-runtime.{region}.amazonaws.com/openai/v1";
                hint = region;
                break;
            default:
                if (apiBase is null)
                {
                    if (provider.DefaultBaseUrl is null)
                    {
                        return Skip($"{prefix}/ without an api_base{(provider.BaseUrlVariable is { } v ? $" (LiteLLM may read it from {v})" : "")}: Modelgate's {provider.Kind} provider needs its server's address");
                    }

                    baseUrl = null;
                }
                else
                {
                    var url = apiBase.OriginalString.Trim().TrimEnd('/');
                    if (provider.Kind == "anthropic" && url.EndsWith("/v1/messages", StringComparison.Ordinal))
                    {
                        url = url[..^"/messages".Length];
                    }

                    baseUrl = provider.IsDefault(url) ? null : url;
                    hint = provider.Kind == LiteLlmProvider.OpenAICompatible ? HostLabel(apiBase) : null;
                }

                break;
        }

        // The key: a reference stays one; a value written in the file is only compared, never kept.
        string? key = null;
        if (LiteLlmYaml.Text(parameters.GetValueOrDefault("api_key")) is { } keyText)
        {
            if (LiteLlmYaml.EnvironmentName(keyText) is { } variable)
            {
                key = "env:" + variable;
            }
            else if (keyText.Trim().Length == 0 || keyText.Trim().Equals("none", StringComparison.OrdinalIgnoreCase))
            {
                Note(at, "api_key is empty or 'none': read as no key");
            }
            else
            {
                key = "literal:" + keyText;
            }
        }

        if (provider.Kind == LiteLlmProvider.Bedrock && key is null)
        {
            Note(at, "Modelgate calls Bedrock's OpenAI-compatible endpoint with an Amazon Bedrock API key (a Bearer token), not AWS credentials: give its provider an api_key (e.g. env:AWS_BEARER_TOKEN_BEDROCK)");
        }

        // The model.
        string? type;
        switch (LiteLlmYaml.Text(info.GetValueOrDefault("mode")))
        {
            case null or "chat":
                type = null;
                break;
            case "completion":
                type = null;
                Note(at, "model_info.mode 'completion' became a chat model: Modelgate serves chat completions, not the legacy completions API");
                break;
            case "embedding":
                type = "embedding";
                break;
            case { } mode:
                return Skip($"model_info.mode '{mode}' has no Modelgate model type (chat, embedding)");
        }

        var temperature = (double?)Number(at, "litellm_params.temperature", parameters.GetValueOrDefault("temperature"), 0m, 2m);
        var topP = (double?)Number(at, "litellm_params.top_p", parameters.GetValueOrDefault("top_p"), 0m, 1m);
        var maxTokens = (int?)Whole(at, "litellm_params.max_tokens", parameters.GetValueOrDefault("max_tokens"), 10_000_000);
        var (rpmNode, rpmAt) = parameters.TryGetValue("rpm", out var r) ? (r, "litellm_params.rpm") : (entry.GetValueOrDefault("rpm"), "rpm");
        var (tpmNode, tpmAt) = parameters.TryGetValue("tpm", out var t) ? (t, "litellm_params.tpm") : (entry.GetValueOrDefault("tpm"), "tpm");
        var rpm = (int?)Whole(at, rpmAt, rpmNode, 100_000_000);
        var tpm = Whole(at, tpmAt, tpmNode, 1_000_000_000_000L);
        if ((rpm is not null || tpm is not null) && !_limitsNoted)
        {
            _limitsNoted = true;
            Note(at, "rpm and tpm became the model's limits (requests_per_minute, tokens_per_minute), which Modelgate enforces; LiteLLM also weighs load balancing by them");
        }

        var input = Price(at, "input_cost_per_token", parameters, info);
        var output = Price(at, "output_cost_per_token", parameters, info);
        var cached = Price(at, "cache_read_input_token_cost", parameters, info);

        var left = parameters.Keys.Where(k => !ConvertedParameters.Contains(k)
                && !(k == "aws_region_name" && provider.Kind == LiteLlmProvider.Bedrock)
                && !(k == "api_version" && provider.Kind == LiteLlmProvider.AzureOpenAI))
            .Select(k => "litellm_params." + k)
            .Concat(info.Keys.Where(k => !ConvertedInfo.Contains(k)).Select(k => "model_info." + k))
            .Concat(entry.Keys.Where(k => !ConvertedEntry.Contains(k)))
            .ToList();
        if (left.Count > 0)
        {
            Note(at, $"not converted: {string.Join(", ", left)}");
        }

        var configModel = new ConfigModel
        {
            Type = type,
            Parameters = temperature is null && topP is null && maxTokens is null ? null : new ConfigParameters(temperature, topP, maxTokens),
            Prices = input is null && output is null && cached is null ? null : new ConfigPrices(input, output, cached),
            Limits = rpm is null && tpm is null ? null : new ConfigLimits(rpm, tpm),
        };
        return new LiteLlmDeployment(index, at, name, provider, baseUrl, key, hint, modelId, configModel,
            provider.Kind == LiteLlmProvider.AzureOpenAI && parameters.ContainsKey("api_version"));
    }

    // The first label of a host name that names something (api.together.xyz → together); null for addresses and localhost.
    private static string? HostLabel(Uri uri)
    {
        if (uri.HostNameType != UriHostNameType.Dns || uri.IsLoopback)
        {
            return null;
        }

        var labels = uri.IdnHost.ToLowerInvariant().Split('.');
        var label = labels.Length > 1 && labels[0] is "api" or "www" ? labels[1] : labels[0];
        return label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') && label.Length > 0 ? label : null;
    }

    private decimal? Number(string at, string field, YamlNode? node, decimal min, decimal max)
    {
        if (node is null || LiteLlmYaml.Text(node) is not { } text)
        {
            return null;
        }

        if (LiteLlmYaml.Decimal(text) is { } value && value >= min && value <= max)
        {
            return value;
        }

        Note(at, $"{field} is not a number from {min} to {max} as Modelgate takes it; not converted");
        return null;
    }

    private long? Whole(string at, string field, YamlNode? node, long max)
    {
        if (node is null || LiteLlmYaml.Text(node) is not { } text)
        {
            return null;
        }

        if (LiteLlmYaml.Decimal(text) is { } value && value == decimal.Truncate(value) && value >= 1 && value <= max)
        {
            return (long)value;
        }

        Note(at, $"{field} is not a whole number from 1 to {max.ToString("N0", CultureInfo.InvariantCulture)} as Modelgate takes it; not converted");
        return null;
    }

    // LiteLLM's cost per token, from litellm_params or model_info, as Modelgate's price per million tokens (exact).
    private decimal? Price(string at, string field, Dictionary<string, YamlNode> parameters, Dictionary<string, YamlNode> info)
    {
        var fromParameters = LiteLlmYaml.Text(parameters.GetValueOrDefault(field));
        var fromInfo = LiteLlmYaml.Text(info.GetValueOrDefault(field));
        var (text, where) = fromParameters is not null ? (fromParameters, "litellm_params." + field) : (fromInfo, "model_info." + field);
        if (text is null)
        {
            return null;
        }

        if (fromParameters is not null && fromInfo is not null && LiteLlmYaml.Decimal(fromParameters) != LiteLlmYaml.Decimal(fromInfo))
        {
            Note(at, $"litellm_params.{field} and model_info.{field} differ: litellm_params' is used");
        }

        if (LiteLlmYaml.Decimal(text) is not { } perToken)
        {
            Note(at, $"{where} is not a number; not converted");
            return null;
        }

        var perMillion = LiteLlmYaml.Normalize(perToken * 1_000_000m);
        if (perMillion < 0 || perMillion > 1_000_000m || perMillion.Scale > 6)
        {
            Note(at, $"{where} is negative, too large, or finer than Modelgate's six decimal places per million tokens; not converted");
            return null;
        }

        return perMillion;
    }

    private (List<ConfigProvider> Providers, Dictionary<LiteLlmDeployment, string> ProviderOf) Providers(List<LiteLlmDeployment> deployments)
    {
        var providers = new List<ConfigProvider>();
        var providerOf = new Dictionary<LiteLlmDeployment, string>(ReferenceEqualityComparer.Instance);
        var names = new HashSet<string>(StringComparer.Ordinal);
        // Variables the file refers to itself: a variable made up for a key written in the file must not be one of them.
        var variables = deployments.Where(d => d.Key?.StartsWith("env:", StringComparison.Ordinal) == true).Select(d => d.Key!["env:".Length..]).ToHashSet(StringComparer.Ordinal);
        foreach (var group in deployments.GroupBy(d => d.Group))
        {
            var first = group.First();
            var stem = first.Provider.Kind switch
            {
                LiteLlmProvider.AzureOpenAI => first.NameHint is { } host ? $"azure-{host}" : "azure",
                LiteLlmProvider.Bedrock => $"bedrock-{first.NameHint}",
                LiteLlmProvider.OpenAICompatible => first.NameHint ?? LiteLlmProvider.OpenAICompatible,
                var kind => kind,
            };
            var name = stem;
            for (var n = 2; !names.Add(name); n++)
            {
                name = $"{stem}-{n}";
            }

            string? apiKey = null;
            if (first.IsLiteralKey)
            {
                var variable = KeyVariable(name);
                for (var n = 2; !variables.Add(variable); n++)
                {
                    variable = $"{KeyVariable(name)}_{n}";
                }

                apiKey = "env:" + variable;
                Note(first.Location, $"api_key is written in the LiteLLM file; it is not copied: provider '{name}' reads it from the environment variable {variable} (api_key: {apiKey}), so set that variable to the key");
            }
            else if (first.Key is { } reference)
            {
                apiKey = reference;
            }

            if (group.Any(d => d.HasApiVersion))
            {
                Note(group.First(d => d.HasApiVersion).Location,
                    $"api_version is not used: provider '{name}' calls Azure OpenAI's v1 API ({first.BaseUrl}), which takes no api-version");
            }

            providers.Add(new ConfigProvider { Name = name, Type = first.Provider.Kind, BaseUrl = first.BaseUrl, ApiKey = apiKey });
            foreach (var deployment in group)
            {
                providerOf[deployment] = name;
            }
        }

        return (providers, providerOf);
    }

    // As Modelgate's export names a provider's key variable.
    private static string KeyVariable(string providerName) => ConfigKeyReferences.VariableFor(providerName);

    private (List<ConfigModel> Models, Dictionary<LiteLlmDeployment, string> Refs) Models(List<LiteLlmDeployment> deployments, Dictionary<LiteLlmDeployment, string> providerOf)
    {
        var models = new List<ConfigModel>();
        var refs = new Dictionary<LiteLlmDeployment, string>(ReferenceEqualityComparer.Instance);
        var firstOf = new Dictionary<string, LiteLlmDeployment>(StringComparer.Ordinal);
        foreach (var deployment in deployments)
        {
            var reference = $"{providerOf[deployment]}/{deployment.ModelId}";
            refs[deployment] = reference;
            if (firstOf.TryGetValue(reference, out var first))
            {
                var same = first.Model == deployment.Model;
                Note(deployment.Location, $"the same upstream model as {first.Location} ({reference}); Modelgate has one entry per provider and model, so they are one"
                    + (same ? "" : $", with the settings of {first.Location} (this one's parameters, prices or limits differ and are not kept)"));
                continue;
            }

            firstOf[reference] = deployment;
            models.Add(deployment.Model with { Model = reference });
        }

        return (models, refs);
    }

    private Dictionary<string, ConfigAlias> Aliases(
        Dictionary<string, List<LiteLlmDeployment>> groups, List<ConfigModel> models, Dictionary<LiteLlmDeployment, string> refs)
    {
        var aliases = new Dictionary<string, ConfigAlias>(StringComparer.Ordinal);
        var offeredBy = models.GroupBy(m => m.Model![(m.Model!.IndexOf('/', StringComparison.Ordinal) + 1)..], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(m => m.Model!).ToList(), StringComparer.Ordinal);
        void Alias(string name, string target, string at)
        {
            if (offeredBy.TryGetValue(name, out var offering))
            {
                if (offering.Count > 1)
                {
                    Note(at, $"'{name}' is the model id of {string.Join(" and ", offering)}: Modelgate refuses a model id several providers offer as ambiguous, and an alias of that name gives way to the models; "
                        + "give them distinct model_names (aliases) to call them by");
                }
                else if (offering[0] != target)
                {
                    Note(at, $"'{name}' is the model id of {offering[0]}, which Modelgate serves under that name before any alias: no alias to {target} was made");
                }

                return;
            }

            if (AliasNameRule(name) is { } why)
            {
                Note(at, $"'{name}' cannot be a Modelgate alias ({why}): no alias to {target} was made");
                return;
            }

            if (!aliases.TryAdd(name, new ConfigAlias(target)))
            {
                Note(at, $"'{name}' is already an alias (to {aliases[name].Model}); not converted");
            }
        }

        foreach (var (name, group) in groups)
        {
            var first = group[0];
            foreach (var other in group.Skip(1))
            {
                Note(other.Location, $"also serves '{name}', which LiteLLM balances across {first.Location} and this one; Modelgate has no load balancing: '{name}' goes to {refs[first]} only, "
                    + $"and this deployment is imported as {refs[other]}");
            }

            Alias(name, refs[first], first.Location);
        }

        // router_settings.model_group_alias: {alias: model_name} or {alias: {model: model_name, hidden: bool}}.
        foreach (var (name, value) in LiteLlmYaml.Mapping(Section("router_settings").GetValueOrDefault("model_group_alias")) ?? [])
        {
            var at = $"router_settings.model_group_alias.{name}";
            var target = LiteLlmYaml.Text(value) ?? LiteLlmYaml.Text(LiteLlmYaml.Mapping(value)?.GetValueOrDefault("model"));
            if (target is null || !groups.TryGetValue(target, out var group))
            {
                Note(at, target is null ? "names no model_name; not converted" : $"'{target}' is not a converted model_name; not converted");
                continue;
            }

            Alias(name, refs[group[0]], at);
        }

        return aliases;
    }

    // Mirrors AliasNames.Check in Modelgate.Abstractions (this library depends on YamlDotNet alone).
    private static string? AliasNameRule(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "a name is required";
        }

        if (name.Length > 200)
        {
            return "at most 200 characters";
        }

        if (!char.IsAsciiLetterOrDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '/' or '@' or '+'))
        {
            return "an alias starts with a letter or digit and uses only letters, digits and '-', '_', '.', ':', '/', '@', '+'";
        }

        if (name is Chat or Embeddings or "agents" || name.StartsWith("agents/", StringComparison.Ordinal))
        {
            return "it is a purpose's name";
        }

        return Guid.TryParse(name, out _) ? "it looks like a Modelgate id" : null;
    }

    private (Dictionary<string, string> Defaults, Dictionary<string, LiteLlmDeployment> By) Defaults(List<LiteLlmDeployment> deployments, Dictionary<LiteLlmDeployment, string> refs)
    {
        var defaults = new Dictionary<string, string>(StringComparer.Ordinal);
        var by = new Dictionary<string, LiteLlmDeployment>(StringComparer.Ordinal);
        foreach (var (purpose, embedding, kind) in new[] { (Chat, false, "chat"), (Embeddings, true, "embedding") })
        {
            if (deployments.FirstOrDefault(d => d.IsEmbedding == embedding) is { } first)
            {
                defaults[purpose] = refs[first];
                by[purpose] = first;
                Note(first.Location, $"became defaults.{purpose} ({refs[first]}): LiteLLM has no default model, so the first {kind} model of model_list is the default for {purpose}");
            }
        }

        return (defaults, by);
    }

    private sealed record FallbackEntry(string Location, string ModelName, List<string> Targets);

    private Dictionary<string, IReadOnlyList<string>> Fallbacks(
        Dictionary<string, LiteLlmDeployment> defaults, Dictionary<string, List<LiteLlmDeployment>> groups, Dictionary<LiteLlmDeployment, string> refs)
    {
        var entries = new List<FallbackEntry>();
        var defaultFallbacks = new List<(string Location, List<string> Targets)>();
        foreach (var section in new[] { "router_settings", "litellm_settings" })
        {
            var settings = Section(section);
            if (settings.GetValueOrDefault("fallbacks") is YamlSequenceNode list)
            {
                for (var i = 0; i < list.Children.Count; i++)
                {
                    var at = $"{section}.fallbacks[{i}]";
                    var item = LiteLlmYaml.Mapping(list.Children[i]);
                    if (item is not { Count: 1 })
                    {
                        Note(at, "not a mapping of one model_name to its fallbacks; not converted");
                        continue;
                    }

                    var (name, targets) = item.Single();
                    entries.Add(new($"{at} ({name})", name, Names(targets)));
                }
            }
            else if (settings.ContainsKey("fallbacks"))
            {
                Note($"{section}.fallbacks", "not a list of {model_name: [fallbacks]}; not converted");
            }

            if (settings.TryGetValue("default_fallbacks", out var general))
            {
                defaultFallbacks.Add(($"{section}.default_fallbacks", Names(general)));
            }
        }

        var fallbacks = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var used = new HashSet<FallbackEntry>(ReferenceEqualityComparer.Instance);
        var usedGeneral = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (purpose, deployment) in defaults)
        {
            var own = entries.FirstOrDefault(e => e.ModelName == deployment.ModelName);
            if (own is null && defaultFallbacks.Count == 0)
            {
                continue;
            }

            var (at, targets) = own is not null ? (own.Location, own.Targets) : defaultFallbacks[0];

            var chain = new List<string>();
            foreach (var target in targets)
            {
                if (!groups.TryGetValue(target, out var group))
                {
                    Note(at, $"fallback '{target}' is not a converted model_name; left out of fallbacks.{purpose}");
                }
                else if (group[0].IsEmbedding != deployment.IsEmbedding)
                {
                    Note(at, $"fallback '{target}' is {(group[0].IsEmbedding ? "an embedding" : "a chat")} model and cannot serve {purpose}; left out of fallbacks.{purpose}");
                }
                else if (refs[group[0]] != refs[deployment] && !chain.Contains(refs[group[0]]))
                {
                    chain.Add(refs[group[0]]);
                }
            }

            if (own is not null)
            {
                used.Add(own);
            }
            else
            {
                usedGeneral.Add(at);
            }

            if (chain.Count > 0)
            {
                fallbacks[purpose] = chain;
                Note(at, $"became fallbacks.{purpose}: Modelgate's fallbacks belong to a purpose, and '{deployment.ModelName}' is the default for {purpose}"
                    + (own is null ? " (it has no fallbacks of its own, so the default fallbacks are used)" : ""));
            }
        }

        var purposes = string.Join(", ", defaults.Select(d => $"{d.Key}: '{d.Value.ModelName}'"));
        foreach (var entry in entries.Where(e => !used.Contains(e)))
        {
            if (used.FirstOrDefault(u => u.ModelName == entry.ModelName) is { } taken)
            {
                Note(entry.Location, $"not converted: the fallbacks of '{entry.ModelName}' were taken from {taken.Location}");
                continue;
            }

            Note(entry.Location, $"not converted: Modelgate's fallbacks belong to a purpose, and '{entry.ModelName}' is no purpose's default ({(purposes.Length > 0 ? purposes : "none")}); "
                + "Modelgate's aliases have no fallbacks");
        }

        foreach (var (at, _) in defaultFallbacks.Where(d => !usedGeneral.Contains(d.Location)))
        {
            Note(at, "not converted: every purpose's default has fallbacks of its own, or there is no default");
        }

        return fallbacks;
    }

    private static List<string> Names(YamlNode node) => node switch
    {
        YamlSequenceNode list => [.. list.Children.Select(LiteLlmYaml.Text).OfType<string>()],
        _ => LiteLlmYaml.Text(node) is { } one ? [one] : [],
    };

    // Everything besides model_list, reported by section and key name (never by value: they may be secrets).
    private void Settings()
    {
        foreach (var section in _sectionOrder)
        {
            var keys = Section(section).Keys.ToList();
            switch (section)
            {
                case "model_list":
                    break;
                case "router_settings" or "litellm_settings":
                    foreach (var kind in new[] { "context_window_fallbacks", "content_policy_fallbacks" })
                    {
                        if (keys.Contains(kind))
                        {
                            Note($"{section}.{kind}", "not converted: Modelgate's fallbacks do not depend on the error; a purpose's fallbacks are tried on any failure");
                        }
                    }

                    var other = keys.Where(k => k is not ("fallbacks" or "default_fallbacks" or "context_window_fallbacks" or "content_policy_fallbacks")
                        && !(k == "model_group_alias" && section == "router_settings")).ToList();
                    if (other.Count > 0)
                    {
                        Note(section, $"not converted: {string.Join(", ", other)} (Modelgate has no load balancing or LiteLLM callbacks; its retries, timeouts, limits and logging are its own settings)");
                    }

                    break;
                case "general_settings":
                    Note(section, $"not converted{(keys.Count > 0 ? $": {string.Join(", ", keys)}" : "")} (the proxy server's own settings: Modelgate's are its MODELGATE_* settings, and its virtual keys are made with 'modelgate keys create')");
                    break;
                case "environment_variables":
                    Note(section, $"not converted{(keys.Count > 0 ? $": {string.Join(", ", keys)}" : "")} (a Modelgate file sets no environment variables: set those its providers' keys refer to in Modelgate's environment)");
                    break;
                case "credential_list":
                    Note(section, "read for the deployments that name a credential (litellm_credential_name); Modelgate has no shared credentials, each provider has its own key");
                    break;
                default:
                    Note(section, "not converted: Modelgate has nothing it maps to");
                    break;
            }
        }
    }
}
