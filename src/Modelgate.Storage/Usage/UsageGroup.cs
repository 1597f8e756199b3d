using Modelgate.Core.Usage;

namespace Modelgate.Storage.Usage;

/// <summary>One group of the answer: the values of its dimensions (names and ids) and its totals.</summary>
public sealed record UsageGroup(IReadOnlyDictionary<string, string?> Keys, UsageTotals Totals);
