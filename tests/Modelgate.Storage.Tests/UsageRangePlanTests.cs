using Modelgate.Storage.Usage;

namespace Modelgate.Storage.Tests;

public sealed class UsageRangePlanTests
{
    private const long H = 3_600_000;
    private const long D = 86_400_000;
    private const long Day = 20_000;

    private static string Plan(long from, long to, long rawSince = 0, long hoursSince = 0, bool byHour = false) =>
        string.Join(" ", UsageRangePlan.Plan(from, to, rawSince, hoursSince, byHour).Select(s => $"{s.Source}[{s.From},{s.To})"));

    [Fact]
    public void WholeDays_ComeFromDailyRollupsAlone() =>
        Assert.Equal($"Days[{Day},{Day + 30})", Plan(Day * D, (Day + 30) * D));

    [Fact]
    public void ARangeCuttingDaysAndHours_ReadsRawRowsOnlyForItsPartialHours()
    {
        var (from, to) = ((Day * D) + (5 * H) + 1_234, ((Day + 30) * D) + (7 * H) + 99);
        Assert.Equal(
            $"Raw[{from},{(Day * D) + (6 * H)}) Hours[{(Day * 24) + 6},{(Day + 1) * 24}) Days[{Day + 1},{Day + 30}) Hours[{(Day + 30) * 24},{((Day + 30) * 24) + 7}) Raw[{((Day + 30) * D) + (7 * H)},{to})",
            Plan(from, to));
    }

    [Fact]
    public void ARangeInsideOneHour_IsRawRowsOnly() =>
        Assert.Equal($"Raw[{(Day * D) + 10},{(Day * D) + 20})", Plan((Day * D) + 10, (Day * D) + 20));

    [Fact]
    public void ARangeAcrossMidnightWithoutAWholeHour_IsTwoRawPiecesReadAsOne() =>
        Assert.Equal($"Raw[{(Day * D) - 60_000},{(Day * D) + 60_000})", Plan((Day * D) - 60_000, (Day * D) + 60_000));

    [Fact]
    public void GroupingByHour_NeverUsesDailyRollups() =>
        Assert.Equal($"Hours[{Day * 24},{(Day + 2) * 24})", Plan(Day * D, (Day + 2) * D, byHour: true));

    [Fact]
    public void WhereRawRowsAreGone_ThePartialHourIsCountedWhole_AndWhereHoursAreGone_ThePartialDay()
    {
        var from = (Day * D) + (5 * H) + 1_234;
        Assert.Equal($"Hours[{(Day * 24) + 5},{(Day + 1) * 24}) Days[{Day + 1},{Day + 3})", Plan(from, (Day + 3) * D, rawSince: (Day + 1) * D));
        Assert.Equal($"Days[{Day},{Day + 3})", Plan(from, (Day + 3) * D, rawSince: (Day + 1) * D, hoursSince: (Day + 1) * D));
    }

    [Theory]
    [InlineData("model", "", RollupLevel.Model)]
    [InlineData("provider,day,status", "", RollupLevel.Model)]
    [InlineData("model", "model_id", RollupLevel.Model)]
    [InlineData("", "", RollupLevel.Key)]
    [InlineData("key,team,hour", "team", RollupLevel.Key)]
    [InlineData("status", "key_id", RollupLevel.Key)]
    [InlineData("model", "key_id", RollupLevel.Series)]
    [InlineData("key", "model_id", RollupLevel.Series)]
    [InlineData("purpose", "", RollupLevel.Series)]
    [InlineData("model,key", "", RollupLevel.Series)]
    [InlineData("model", "purpose", RollupLevel.Series)]
    [InlineData("variant", "", RollupLevel.Series)]
    public void AView_ReadsTheCoarsestRollupLevelThatAnswersItExactly(string groupBy, string filter, int level)
    {
        var dimensions = groupBy.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(d => Enum.Parse<UsageDimension>(d, ignoreCase: true)).ToList();
        var request = new UsageRequest(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1), dimensions);
        request = filter switch
        {
            "model_id" => request with { ModelId = Guid.NewGuid() },
            "key_id" => request with { KeyId = Guid.NewGuid() },
            "team" => request with { Team = "t" },
            "purpose" => request with { Purpose = "chat" },
            _ => request,
        };

        Assert.Equal(level, RollupLevel.For(request));
    }

    [Fact]
    public void AnEmptyOrBackwardRange_ReadsNothing()
    {
        Assert.Equal("", Plan(Day * D, Day * D));
        Assert.Equal("", Plan((Day + 1) * D, Day * D));
    }
}
