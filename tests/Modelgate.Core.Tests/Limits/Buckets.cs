using Modelgate.Core.Catalog;
using Modelgate.Core.Limits;

namespace Modelgate.Core.Tests.Limits;

/// <summary>Counters of a test's own (new ids), of each kind.</summary>
internal static class Buckets
{
    public static LimitBucket Requests(long limit, bool shadow = false) => Of(LimitKinds.RequestsPerMinute, limit, shadow);

    public static LimitBucket Tokens(long limit) => Of(LimitKinds.TokensPerMinute, limit);

    public static LimitBucket InFlight(long limit) => Of(LimitKinds.ConcurrentRequests, limit);

    public static LimitBucket Budget(long limit, DateTimeOffset periodEnd) => Of(LimitKinds.Budget, limit) with { PeriodEnd = periodEnd };

    private static LimitBucket Of(LimitKinds kind, long limit, bool shadow = false) =>
        new($"test:{Guid.NewGuid():N}", kind, LimitScope.Model, "model 'test'", limit, shadow, $"{limit} {kind}");
}
