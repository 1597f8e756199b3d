using Modelgate.Core.Catalog;
using Modelgate.Core.Limits;
using Modelgate.Core.Resolution;
using Modelgate.Core.Usage;

namespace Modelgate.Server.Gateway.Usage;

/// <summary>
/// What the gateway learns about one call while serving it — who asked, which model served, tokens, first byte,
/// how it ended — kept on the request (an HttpContext feature) and turned into one <see cref="UsageRecord"/> at the end.
/// Each field has one owner: <see cref="Key"/> the authenticate step, <see cref="Request"/> the resolve step,
/// <see cref="Model"/> the pipeline (<see cref="GatewayDispatch"/>), <see cref="Tokens"/> and <see cref="Streamed"/> the
/// relay of the answer; <see cref="ErrorClass"/> is set once (the first value stays), by what ends the call with a
/// failure: a step's refusal (as its error result is written), the pipeline, the relay, or the caller leaving.
/// </summary>
internal sealed class GatewayCall(string operation, DateTimeOffset at, long configVersion)
{
    private readonly CallClock _clock = new();
    private Func<int, TokenCounts>? _count;
    private Action<GatewayCall>? _complete;
    private int _completed;

    public Guid RequestId { get; } = RequestIds.Next(at);
    public string Operation { get; } = operation;
    public VirtualKey? Key { get; set; }
    public GatewayRequest? Request { get; set; }

    /// <summary>The call's limits (set by the resolve step; taken by the pipeline, settled when the call is recorded).</summary>
    public CallLimits? Limits { get; set; }

    /// <summary>The caller's session id (header, <c>user</c> or <c>metadata.user_id</c>), when it sent one.</summary>
    public string? Session { get; set; }

    /// <summary>The model that served the answer, or the last one tried.</summary>
    public ResolvedModel? Model { get; set; }
    /// <summary>As the provider reported them (set when known; see <see cref="CountLater"/>).</summary>
    public TokenCounts? Tokens { get; set; }
    public bool Streamed { get; set; }

    /// <summary>
    /// Set when the call failed, also after a 200 (a stream cut short). Fixed once the call is complete: its record may
    /// still be in the making.
    /// </summary>
    public string? ErrorClass
    {
        get => _errorClass;
        set
        {
            if (!IsCompleted)
            {
                _errorClass = value;
            }
        }
    }

    private string? _errorClass;

    public static GatewayCall? Of(HttpContext context) => context.Features.Get<GatewayCall>();

    /// <summary>
    /// Tokens to be counted with the tokenizer when the record is made, off the request's thread (see
    /// <see cref="TokenCounting"/>); the function is given how many characters it may put through the tokenizer.
    /// </summary>
    public void CountLater(Func<int, TokenCounts> count)
    {
        Tokens = null;
        _count = count;
    }

    /// <summary>The tokens are still to be counted (the provider reported none).</summary>
    public bool CountsLater => Tokens is null && _count is not null;

    /// <summary>What <see cref="Complete"/> does: hand the call's record over (set once, when the call starts).</summary>
    public void OnComplete(Action<GatewayCall> complete) => _complete = complete;

    /// <summary>The call has been recorded (or is being): nothing about it changes any more.</summary>
    public bool IsCompleted => Volatile.Read(ref _completed) == 1;

    /// <summary>
    /// The answer is whole: the call is recorded now, once — before its last bytes go to the caller where the gateway
    /// can, so a record is in the usage journal before the caller has its answer; otherwise when the response is over.
    /// </summary>
    public void Complete()
    {
        if (Interlocked.Exchange(ref _completed, 1) == 0)
        {
            _clock.Ended();
            _complete?.Invoke(this);
        }
    }

    /// <summary>
    /// True once, for whoever hands the call's record over first: the counting thread, or a stop that could not wait
    /// for it (<see cref="TokenCounting.StopAsync"/>). The record is made at most once.
    /// </summary>
    public bool TryHandOver() => Interlocked.Exchange(ref _handedOver, 1) == 0;

    private int _handedOver;

    /// <summary>The answer is complete (the time it took ends here, even if the record is made later).</summary>
    public void Ended() => _clock.Ended();

    /// <summary>The first byte of the answer went to the caller (once; later calls change nothing).</summary>
    public void FirstByte() => _clock.FirstByte();

    // Counting must never cost the record: whatever the tokenizer or an odd request body does, the call is recorded.
    private TokenCounts CountNow(int exactChars)
    {
        try
        {
            return _count?.Invoke(exactChars) ?? TokenCounts.None;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or System.Text.Json.JsonException)
        {
            return new TokenCounts(0, 0, 0, Estimated: true);
        }
    }

    /// <summary>The call's record; tokens still to be counted go through the tokenizer up to <paramref name="exactChars"/> characters a part.</summary>
    public UsageRecord ToRecord(int status, int exactChars = TokenEstimator.ExactChars)
    {
        var tokens = Tokens ?? CountNow(exactChars);
        var model = Model;
        // The variant the call was assigned, also when it failed before a model was tried or a fallback served it.
        var arm = (model ?? Request?.Resolved)?.Arm;
        var purpose = Request?.Requested is { } requested && Purpose.TryParse(requested, out _) ? requested : null;
        return new UsageRecord
        {
            RequestId = RequestId,
            At = at,
            Source = UsageSource.Gateway,
            Operation = Operation,
            KeyId = Key?.Id,
            Purpose = purpose,
            ExperimentId = arm?.ExperimentId,
            Variant = arm?.Variant,
            SessionHash = Session is { } session ? Core.Experiments.SessionHash.Of(session) : null,
            ProviderId = model?.Provider.Id,
            ProviderName = model?.Provider.Name,
            ModelId = model?.Model.Id,
            ModelName = model?.Model.ModelId,
            Tokens = tokens,
            Cost = model is null ? (tokens.Total == 0 ? 0 : null) : Cost.Of(model.Model.Pricing, tokens),
            LatencyMs = _clock.LatencyMs,
            TimeToFirstTokenMs = Streamed ? _clock.FirstByteMs : null,
            Status = status,
            ErrorClass = ErrorClass ?? (status >= 400 ? "http_" + status : null),
            Streamed = Streamed,
            ConfigVersion = configVersion,
        };
    }
}
