using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Modelgate.Core.Catalog;
using Modelgate.Core.Limits;
using Modelgate.Core.Pipeline;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Tests.Limits;

/// <summary>What one call takes from the limits, per model of its chain, and what it gives back (the same for both entrances).</summary>
public sealed class CallLimitsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero));
    private readonly FakeLogCollector _logs = new();
    private readonly InProcessLimitCounters _counters;
    private readonly Limiter _limiter;

    public CallLimitsTests()
    {
        _counters = new InProcessLimitCounters(_time);
        _limiter = new Limiter(_counters, _time, logger: new FakeLogger<Limiter>(_logs));
    }

    private static ResolvedModel Model(RateLimits? provider = null, RateLimits? model = null, int? maxTokens = null, decimal? price = null) => new()
    {
        Purpose = Purpose.Chat,
        Provider = new ProviderConfig(Guid.NewGuid(), "up", ProviderKind.OpenAI, "http://127.0.0.1:1/v1", null, null, true, false, provider ?? RateLimits.None),
        Model = new ModelDefinition(Guid.NewGuid(), Guid.Empty, "m-" + Guid.NewGuid().ToString("N")[..6], null, ModelKind.Chat, true,
            new ModelParameters(MaxTokens: maxTokens), new Pricing(price, price), null, null) { Limits = model ?? RateLimits.None },
        Source = ResolutionSource.Database,
        Reason = "test",
        CatalogVersion = 1,
    };

    private static VirtualKey Key(RateLimits limits, Budget? budget = null) =>
        new(Guid.NewGuid(), "team-a", "hash", "mg-xxxxxxx", [], [], null, null, DateTimeOffset.UnixEpoch) { Limits = limits, Budget = budget };

    private Task<(string Result, ResolvedModel Served)> RunAsync(CallLimits limits, params ResolvedModel[] chain) =>
        FallbackChain.RunAsync(chain, PipelineOptions.Default, (_, _) => Task.FromResult("answer"), null, NullLogger.Instance, limits, CancellationToken.None);

    [Fact]
    public async Task ACall_ReservesItsPromptAndItsMaxTokens_AndSettlesToWhatItUsed()
    {
        var model = Model(provider: new RateLimits(TokensPerMinute: 1_000));
        var first = _limiter.Start(null, () => 100, maxOutputTokens: 300);
        await RunAsync(first, model);

        // 400 reserved: a second call of 400 fits, a third does not — until the first settles at 150.
        await RunAsync(_limiter.Start(null, () => 100, 300), model);
        await Assert.ThrowsAsync<LimitReachedException>(() => RunAsync(_limiter.Start(null, () => 100, 300), model));
        first.Settle(150, null);
        await RunAsync(_limiter.Start(null, () => 100, 300), model);
    }

    [Fact]
    public async Task WithoutMaxTokens_TheModelsDefaultIsReserved()
    {
        var withDefault = Model(model: new RateLimits(TokensPerMinute: 1_000), maxTokens: 900);

        await RunAsync(_limiter.Start(null, () => 100, null), withDefault);
        var refused = await Assert.ThrowsAsync<LimitReachedException>(() => RunAsync(_limiter.Start(null, () => 100, null), withDefault));

        Assert.Equal(1_000, refused.Used);
        Assert.Equal(1_000, refused.Amount);
    }

    [Fact]
    public async Task WithoutAnyMaximum_ACallNeedsRoomForItsPrompt_AndReservesWhatIsLeftUpToTheUnknownReservation()
    {
        var model = Model(model: new RateLimits(TokensPerMinute: 1_500));
        var first = _limiter.Start(null, () => 100, null);
        await RunAsync(first, model);

        // The first call reserved all 1,500 (less than its 100 + 4,096): the next needs room for its prompt and has none.
        var refused = await Assert.ThrowsAsync<LimitReachedException>(() => RunAsync(_limiter.Start(null, () => 100, null), model));
        Assert.Equal(1_500, refused.Used);
        Assert.Equal(100, refused.Amount);

        // It used 1,100: the next reserves the 400 left.
        first.Settle(1_100, null);
        await RunAsync(_limiter.Start(null, () => 100, null), model);
        await Assert.ThrowsAsync<LimitReachedException>(() => RunAsync(_limiter.Start(null, () => 1, null), model));
    }

    [Fact]
    public async Task AModelAtItsLimit_LetsTheNextModelServe_AndTheKeysRequestIsTakenOnce()
    {
        var full = Model(model: new RateLimits(RequestsPerMinute: 1));
        var next = Model();
        var key = Key(new RateLimits(RequestsPerMinute: 2));
        await RunAsync(_limiter.Start(key, () => 1, 10), full);

        var (_, served) = await RunAsync(_limiter.Start(key, () => 1, 10), full, next);

        Assert.Same(next, served);
        // Two calls by the key so far, the second tried two models: the key's own limit of 2 is now reached.
        var refused = await Assert.ThrowsAsync<LimitReachedException>(() => RunAsync(_limiter.Start(key, () => 1, 10), next));
        Assert.Equal(LimitScope.Key, refused.Bucket.Scope);
        Assert.Contains("API key 'team-a' is at its limit of 2 requests per minute", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyAtItsLimit_EndsTheCall_WithoutTryingAnotherModel()
    {
        var key = Key(new RateLimits(RequestsPerMinute: 1));
        var tried = new List<ResolvedModel>();
        var first = Model();
        await RunAsync(_limiter.Start(key, () => 1, 10), first);

        await Assert.ThrowsAsync<LimitReachedException>(() => FallbackChain.RunAsync(
            [first, Model()], PipelineOptions.Default, (_, _) => Task.FromResult(1), tried.Add, NullLogger.Instance, _limiter.Start(key, () => 1, 10), CancellationToken.None));

        Assert.Single(tried);
        Assert.Contains(_logs.GetSnapshot(), r => r.Message.Contains("API key 'team-a'", StringComparison.Ordinal) && r.Level == Microsoft.Extensions.Logging.LogLevel.Information);
    }

    [Fact]
    public async Task AModelThatFails_GivesBackItsTokens_ButItsRequestStaysCounted()
    {
        var model = Model(model: new RateLimits(RequestsPerMinute: 2, TokensPerMinute: 500));
        var failing = _limiter.Start(null, () => 100, 300);

        await Assert.ThrowsAsync<HttpRequestException>(() => FallbackChain.RunAsync<string>(
            [model], PipelineOptions.Default, (_, _) => throw new HttpRequestException("down"), null, NullLogger.Instance, failing, CancellationToken.None));

        // Its 400 tokens are back (a 400-token call fits), its request is not (the third request is refused).
        await RunAsync(_limiter.Start(null, () => 100, 300), model);
        var refused = await Assert.ThrowsAsync<LimitReachedException>(() => RunAsync(_limiter.Start(null, () => 1, 1), model));
        Assert.Equal(LimitKinds.RequestsPerMinute, refused.Bucket.Kind);
    }

    [Fact]
    public async Task AnOpenCircuit_SendsNothing_SoTheModelsRequestIsGivenBackToo()
    {
        var model = Model(model: new RateLimits(RequestsPerMinute: 1));

        await Assert.ThrowsAsync<Polly.CircuitBreaker.BrokenCircuitException>(() => FallbackChain.RunAsync<string>(
            [model], PipelineOptions.Default, (_, _) => throw new Polly.CircuitBreaker.BrokenCircuitException("open"), null, NullLogger.Instance,
            _limiter.Start(null, () => 1, 1), CancellationToken.None));

        await RunAsync(_limiter.Start(null, () => 1, 1), model);
    }

    [Fact]
    public async Task APlaceAmongTheKeysRequestsInFlight_IsGivenBackWhenTheCallEnds_Once()
    {
        var key = Key(new RateLimits { ConcurrentRequests = 1 });
        var model = Model();
        var first = _limiter.Start(key, () => 1, 1);
        await RunAsync(first, model);

        var refused = await Assert.ThrowsAsync<LimitReachedException>(() => RunAsync(_limiter.Start(key, () => 1, 1), model));
        Assert.Contains("1 requests at once", refused.Message, StringComparison.Ordinal);

        first.End();
        first.End();
        first.Settle(10, null);
        var second = _limiter.Start(key, () => 1, 1);
        await RunAsync(second, model);
        await Assert.ThrowsAsync<LimitReachedException>(() => RunAsync(_limiter.Start(key, () => 1, 1), model));
    }

    [Fact]
    public async Task ABudget_ReservesWhatTheCallMayCost_AtTheModelsPrices()
    {
        // 1 USD per million tokens: a call of 1,000 prompt tokens and 1,000 max tokens may cost 0.002 USD.
        var model = Model(price: 1m);
        var key = Key(RateLimits.None, new Budget(0.005m, BudgetPeriod.Daily));
        await RunAsync(_limiter.Start(key, () => 1_000, 1_000), model);
        await RunAsync(_limiter.Start(key, () => 1_000, 1_000), model);

        var refused = await Assert.ThrowsAsync<LimitReachedException>(() => RunAsync(_limiter.Start(key, () => 1_000, 1_000), model));

        Assert.Equal("budget_exceeded", refused.Code);
        Assert.Equal(BudgetUnits.FromUsd(0.004m), refused.Used);
        Assert.Equal(BudgetUnits.FromUsd(0.002m), refused.Amount);
        Assert.Contains("daily budget of 0.005 USD", refused.Message, StringComparison.Ordinal);
        Assert.Contains("starts again at 2026-12-06 00:00:00Z", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AShadowLimit_AdmitsTheCall_ButSaysItWentOver()
    {
        var model = Model(model: new RateLimits(RequestsPerMinute: 1) { Shadow = LimitKinds.RequestsPerMinute });

        await RunAsync(_limiter.Start(null, () => 1, 1), model);
        await RunAsync(_limiter.Start(null, () => 1, 1), model);

        var shadow = Assert.Single(_logs.GetSnapshot(), r => r.Message.StartsWith("Shadow limit exceeded", StringComparison.Ordinal));
        Assert.Contains($"model '{model.Model.ModelId}'", shadow.Message, StringComparison.Ordinal);
    }
}
