using Modelgate.Core.Limits;

namespace Modelgate.Storage.Tests.Limits;

/// <summary>The contract, counted in this process.</summary>
public sealed class InProcessLimitCountersContractTests : LimitCountersContract
{
    protected override ILimitCounters Counters { get; } = new InProcessLimitCounters(TimeProvider.System);
}
