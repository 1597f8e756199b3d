using Microsoft.Extensions.Logging.Abstractions;
using Modelgate.Core.Catalog;
using Modelgate.Core.Pipeline;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Tests.Resolution;

public sealed class AliasResolutionTests : IDisposable
{
    private readonly CatalogBuilder _catalog = new();

    private ModelResolver Resolver()
    {
        var current = new CurrentCatalog(_catalog.Protector, EnvironmentFallback.None, NullLogger<CurrentCatalog>.Instance, TimeProvider.System);
        current.Apply(_catalog.Build(), ResolutionSource.Database);
        return new ModelResolver(current);
    }

    [Fact]
    public void ResolveRequested_Alias_GivesItsTargetAndSaysWhy()
    {
        var provider = _catalog.Provider(name: "anthropic");
        _catalog.Alias("smart", _catalog.Model(provider, "claude-opus"));

        var resolved = Resolver().ResolveRequested("smart");

        Assert.Equal("claude-opus", resolved.Model.ModelId);
        Assert.Equal("smart", resolved.Alias!.Name);
        Assert.StartsWith("alias 'smart' -> model 'claude-opus'", resolved.Reason, StringComparison.Ordinal);
        Assert.NotNull(resolved.ApiKey);
    }

    [Fact]
    public void ResolveChain_Alias_IsTheTargetAloneWithoutThePurposeFallbacks()
    {
        var provider = _catalog.Provider();
        var target = _catalog.Model(provider, "target");
        _catalog.Default("chat", target).Fallbacks("chat", _catalog.Model(provider, "backup")).Alias("fast", target);
        var resolver = Resolver();

        var chain = resolver.ResolveChain("fast");

        Assert.Equal(["target"], chain.Select(c => c.Model.ModelId));
        Assert.Equal(2, resolver.ResolveChain("chat").Count);
        Assert.Same(chain, resolver.ResolveChain("fast"));
    }

    [Fact]
    public void ResolveRequested_PurposeComesBeforeAnAliasAndAnAliasBeforeAModel()
    {
        var provider = _catalog.Provider();
        var old = _catalog.Model(provider, "gpt-4-0613");
        var replacement = _catalog.Model(provider, "gpt-4o");
        _catalog.Default("chat", old).Alias("gpt-4-0613", replacement, deprecated: true);
        var resolver = Resolver();

        Assert.Equal("gpt-4-0613", resolver.ResolveRequested("chat").Model.ModelId);
        var redirected = resolver.ResolveRequested("gpt-4-0613");
        Assert.Equal("gpt-4o", redirected.Model.ModelId);
        Assert.True(redirected.Alias!.Deprecated);
        Assert.Contains("(deprecated alias)", redirected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveRequested_NonDeprecatedAliasNamedLikeAModel_GivesWayToTheModel()
    {
        var provider = _catalog.Provider();
        _catalog.Model(provider, "mini");
        _catalog.Alias("mini", _catalog.Model(provider, "other"));

        var resolved = Resolver().ResolveRequested("mini");

        Assert.Equal("mini", resolved.Model.ModelId);
        Assert.Null(resolved.Alias);
    }

    [Fact]
    public void ResolveRequested_AliasOfAnInactiveModel_ThrowsNamingTheAlias()
    {
        _catalog.Alias("cheap", _catalog.Model(_catalog.Provider(), "haiku", active: false));

        var error = Assert.Throws<ModelgateConfigurationException>(() => Resolver().ResolveChain("cheap"));

        Assert.Contains("alias 'cheap' -> model 'haiku'", error.Message, StringComparison.Ordinal);
        Assert.Contains("inactive", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("smart", null)]
    [InlineData("gpt-4-0613", null)]
    [InlineData("meta-llama/Llama-3.1-8B", null)]
    [InlineData("chat", "purpose")]
    [InlineData("agents/x", "purpose")]
    [InlineData("embeddings", "purpose")]
    [InlineData("", "required")]
    [InlineData("has space", "letters")]
    [InlineData("-leading", "letters")]
    [InlineData("5f1c3a8e-1111-4222-8333-444455556666", "id")]
    public void AliasNamesCheck_RefusesPurposesIdsAndOddCharacters(string name, string? refusal)
    {
        var error = AliasNames.Check(name);

        if (refusal is null)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Contains(refusal, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AliasNamesCheck_RefusesTooLong() => Assert.NotNull(AliasNames.Check(new string('a', AliasNames.MaxLength + 1)));

    [Fact]
    public void CatalogDiff_AliasRetargeted_IsAChangeNamingBothModels()
    {
        var provider = _catalog.Provider();
        var a = _catalog.Model(provider, "a");
        var b = _catalog.Model(provider, "b");
        var before = _catalog.Build(1);
        _catalog.Alias("smart", a);
        var added = _catalog.Build(2);

        var change = Assert.Single(CatalogDiff.Between(before, added));
        Assert.Equal(("added", "alias", "smart"), (change.Kind, change.Entity, change.Name));

        var retargeted = new CatalogSnapshot(3, DateTimeOffset.UnixEpoch, added.Providers.Values, added.Models.Values, added.Defaults,
            aliases: [new ModelAlias("smart", b.Id, null, true)]);
        var changed = Assert.Single(CatalogDiff.Between(added, retargeted));
        Assert.Equal("changed", changed.Kind);
        Assert.Equal($"b ({b.Id})", changed.Fields["model"].After);
        Assert.Equal(true, changed.Fields["deprecated"].After);
    }

    [Fact]
    public void CatalogDiff_TargetModelRenamed_IsAModelChange_NotAnAliasChange()
    {
        var a = _catalog.Model(_catalog.Provider(), "a");
        _catalog.Alias("smart", a);
        var before = _catalog.Build(1);
        var renamed = new CatalogSnapshot(2, DateTimeOffset.UnixEpoch, before.Providers.Values, [a with { ModelId = "a-renamed" }], before.Defaults,
            aliases: before.Aliases.Values);

        var change = Assert.Single(CatalogDiff.Between(before, renamed));

        Assert.Equal(("changed", "model"), (change.Kind, change.Entity));
    }

    [Fact]
    public void ResolveRequested_AliasWhoseProviderKeyCannotBeDecrypted_NamesTheAliasNotADefault()
    {
        var good = _catalog.Provider();
        var other = _catalog.Provider();
        _catalog.Replace(good with { ApiKeyCiphertext = other.ApiKeyCiphertext });
        _catalog.Alias("smart", _catalog.Model(good, "claude-x"));

        var error = Assert.Throws<ModelgateConfigurationException>(() => Resolver().ResolveChain("smart"));

        Assert.Contains("alias 'smart': ", error.Message, StringComparison.Ordinal);
        Assert.Contains("(model 'claude-x') cannot be decrypted", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("default for", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CatalogSnapshotJson_KeepsAliases()
    {
        _catalog.Alias("smart", _catalog.Model(_catalog.Provider(), "m"), deprecated: true);
        var snapshot = _catalog.Build();

        var read = CatalogSnapshotJson.FromGzip(CatalogSnapshotJson.ToGzip(snapshot));

        Assert.Equal(snapshot.Aliases["smart"], read.Aliases["smart"]);
    }

    [Fact]
    public void ResolveRequested_APurposeNamedLikeAnAlias_IsThePurpose()
    {
        // The admin API refuses an alias named like a purpose; a snapshot holding one anyway must still resolve the purpose.
        var provider = _catalog.Provider();
        _catalog.Default("chat", _catalog.Model(provider, "the-default")).Alias("chat", _catalog.Model(provider, "elsewhere"));

        var resolved = Resolver().ResolveRequested("chat");

        Assert.Equal("the-default", resolved.Model.ModelId);
        Assert.Null(resolved.Alias);
    }

    [Fact]
    public void CatalogSnapshotJson_WrittenBeforeAliases_ReadsAsNoAliases()
    {
        _catalog.Alias("smart", _catalog.Model(_catalog.Provider(), "m"));
        var json = System.Text.Json.Nodes.JsonNode.Parse(Gunzip(CatalogSnapshotJson.ToGzip(_catalog.Build())))!.AsObject();
        Assert.True(json.Remove("aliases"));

        var read = CatalogSnapshotJson.FromGzip(Gzip(json.ToJsonString()));

        Assert.Empty(read.Aliases);
        Assert.Single(read.Models);
    }

    [Fact]
    public void ResolutionTableRequested_GivesWhatTheGatewayWould_ForAPurposeAnAliasAndAModel_AndAnErrorOtherwise()
    {
        var provider = _catalog.Provider();
        var target = _catalog.Model(provider, "target");
        _catalog.Default("chat", _catalog.Model(provider, "the-default")).Alias("smart", target);
        var current = new CurrentCatalog(_catalog.Protector, EnvironmentFallback.None, NullLogger<CurrentCatalog>.Instance, TimeProvider.System);
        current.Apply(_catalog.Build(), ResolutionSource.Database);
        var resolutions = current.State.Resolutions;

        Assert.Equal("the-default", resolutions.Requested("chat").Model!.Model.ModelId);
        Assert.Equal(("target", "smart"), (resolutions.Requested("smart").Model!.Model.ModelId, resolutions.Requested("smart").Model!.Alias!.Name));
        Assert.Null(resolutions.Requested("target").Model!.Alias);
        Assert.Contains("neither a purpose", resolutions.Requested("nothing").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolutionTable_ANonDeprecatedAliasNamedLikeAModel_IsLeftOut_WhileADeprecatedOneStays()
    {
        var provider = _catalog.Provider();
        _catalog.Model(provider, "mini");
        _catalog.Model(provider, "old");
        var other = _catalog.Model(provider, "other");
        _catalog.Alias("mini", other).Alias("old", other, deprecated: true).Alias("free", other);
        var current = new CurrentCatalog(_catalog.Protector, EnvironmentFallback.None, NullLogger<CurrentCatalog>.Instance, TimeProvider.System);
        current.Apply(_catalog.Build(), ResolutionSource.Database);

        Assert.Equal(["free", "old"], current.State.Resolutions.Aliases.Select(a => a.Alias.Name).Order(StringComparer.Ordinal));
    }

    private static VirtualKey Key(params string[] allowedModels) =>
        new(Guid.NewGuid(), "k", "hash", "mg-", [], allowedModels, null, null, DateTimeOffset.UnixEpoch);

    [Fact]
    public void KeyAdmission_APlainAliasNamedOnTheAllowList_AdmitsCallsThroughIt()
    {
        _catalog.Alias("smart", _catalog.Model(_catalog.Provider(), "claude-opus"));
        var chain = Resolver().ResolveChain("smart");

        var (admitted, refusal) = KeyAdmission.Chain(Key("smart"), "smart", chain);

        Assert.Null(refusal);
        Assert.Equal(["claude-opus"], admitted!.Select(c => c.Model.ModelId));
    }

    [Fact]
    public void KeyAdmission_ADeprecatedAliasNamedOnTheAllowList_IsRefusedSayingWhereTheOldNameNowLeads()
    {
        var provider = _catalog.Provider();
        _catalog.Model(provider, "gpt-4-0613");
        _catalog.Alias("gpt-4-0613", _catalog.Model(provider, "gpt-4o"), deprecated: true);
        var chain = Resolver().ResolveChain("gpt-4-0613");

        var (admitted, refusal) = KeyAdmission.Chain(Key("gpt-4-0613"), "gpt-4-0613", chain);

        Assert.Null(admitted);
        Assert.Equal(403, refusal!.Status);
        Assert.Contains("'gpt-4-0613' is now an alias of 'gpt-4o'", refusal.Message, StringComparison.Ordinal);
        Assert.Null(KeyAdmission.Chain(Key("gpt-4o"), "gpt-4-0613", chain).Refusal);
    }

    [Fact]
    public void KeyAdmission_APlainAliasNotAllowed_IsRefusedWithoutCallingItAnAliasOfAnything()
    {
        _catalog.Alias("smart", _catalog.Model(_catalog.Provider(), "claude-opus"));
        var chain = Resolver().ResolveChain("smart");

        var refusal = KeyAdmission.Chain(Key("something-else"), "smart", chain).Refusal;

        Assert.Equal("This API key may not use 'smart'.", refusal!.Message);
    }

    [Theory]
    [InlineData(true, true, null)]
    [InlineData(false, true, "is inactive")]
    [InlineData(true, false, "belongs to inactive provider 'p'")]
    public void AliasEligibility_RefusesAnInactiveTargetOrOneOnAnInactiveProvider_AsAConflictOnTheField(bool modelActive, bool providerActive, string? refusal)
    {
        var error = AliasEligibility.Check("smart", "m", modelActive, "p", providerActive, "model_id");

        Assert.Equal(refusal is null, AliasEligibility.CanServe(modelActive, providerActive));
        if (refusal is null)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Equal(CatalogErrorKind.Conflict, error!.Kind);
            Assert.Contains(refusal, error.Errors!["model_id"][0], StringComparison.Ordinal);
            Assert.Contains("alias 'smart'", error.Detail, StringComparison.Ordinal);
        }
    }

    private static string Gunzip(byte[] data)
    {
        using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(data), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return reader.ReadToEnd();
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    public void Dispose() => _catalog.Dispose();
}
