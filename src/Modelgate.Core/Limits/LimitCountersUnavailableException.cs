namespace Modelgate.Core.Limits;

/// <summary>
/// The fleet's shared limit counters could not be reached (or did not answer in time). Under the policy <c>reject</c>
/// a call that a limit applies to fails with it (the gateway answers 503); otherwise the call is decided without them.
/// </summary>
public sealed class LimitCountersUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
