namespace Modelgate.Core.Catalog;

/// <summary>
/// The kinds of limit Modelgate enforces, as flags (a set of them marks limits in shadow mode). Their names in the
/// admin API are <see cref="LimitNames"/>'s: <c>requests_per_minute</c>, <c>tokens_per_minute</c>,
/// <c>concurrent_requests</c>, <c>budget</c>.
/// </summary>
[Flags]
public enum LimitKinds
{
    None = 0,
    RequestsPerMinute = 1,
    TokensPerMinute = 2,
    ConcurrentRequests = 4,
    Budget = 8,
}
