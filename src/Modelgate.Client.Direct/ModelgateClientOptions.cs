namespace Modelgate.Client;

/// <summary>
/// Where the application finds Modelgate's catalog. Unset values come from the same settings the server reads
/// (<c>MODELGATE_DATABASE</c>, <c>MODELGATE_DATA_DIR</c>, <c>MODELGATE_MASTER_KEY</c>).
/// </summary>
public sealed class ModelgateClientOptions
{
    /// <summary>The catalog database's connection string (direct mode); <c>Host=...</c> means PostgreSQL.</summary>
    public string? Database { get; set; }

    /// <summary>The data folder: the master key file (unless given in the environment) and the last-known-good snapshot.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>The master key that decrypts provider keys (base64 or hex); else the data folder's key file.</summary>
    public string? MasterKey { get; set; }

    /// <summary>How long one attempt at one model may take to produce its first byte (as the gateway's <c>MODELGATE_GATEWAY_FIRST_BYTE_TIMEOUT_SECONDS</c>). Default: 120 s.</summary>
    public TimeSpan FirstByteTimeout { get; set; } = Core.Pipeline.PipelineOptions.Default.FirstByteTimeout;

    /// <summary>How long a call may take to get its first byte across every retry and fallback (as <c>MODELGATE_GATEWAY_REQUEST_TIMEOUT_SECONDS</c>). Default: 300 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = Core.Pipeline.PipelineOptions.Default.RequestTimeout;

    /// <summary>How long a provider may stay silent in a stream once it has started answering (as <c>MODELGATE_GATEWAY_STREAM_IDLE_SECONDS</c>); then the stream fails. Default: 120 s.</summary>
    public TimeSpan StreamIdleTimeout { get; set; } = Core.Pipeline.PipelineOptions.Default.StreamIdleTimeout;

    /// <summary>
    /// The name of a virtual key (as created with <c>POST /api/v1/keys</c>) whose rules this application's calls follow,
    /// as gateway calls with that key would: its allow-lists, its budget (calls count against it, on every instance),
    /// revocation and expiry. Null: no key (calls are recorded without one). With a key, calls are always recorded.
    /// </summary>
    public string? VirtualKey { get; set; }

    /// <summary>Whether each call is recorded in Modelgate's usage tables (tokens, cost, latency), like gateway calls. Default: true.</summary>
    public bool RecordUsage { get; set; } = true;

    /// <summary>
    /// Redis where the fleet's limits are counted (a StackExchange.Redis configuration string; default:
    /// <c>MODELGATE_REDIS</c>): set it to the same Redis as the servers', so calls made here and through the gateway
    /// share every limit and budget. Unset: limits are counted in this process.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>What limits do while <see cref="Redis"/> is out of reach (default: <c>MODELGATE_LIMITS_WITHOUT_REDIS</c>, else local).</summary>
    public Core.Limits.SharedCountersPolicy LimitsWithoutRedis { get; set; } = Core.Limits.SharedCountersPolicy.Local;
}
