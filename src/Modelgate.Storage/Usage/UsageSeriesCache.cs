using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Modelgate.Core.Usage;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Usage;

/// <summary>
/// Finds (or creates) the <c>usage_series</c> row of a record's who/what combination. Combinations are few and
/// repeat endlessly, so their ids are cached; a new one costs one insert, and two instances inserting the same
/// combination at once both end up with the one row the unique index kept.
/// </summary>
internal sealed class UsageSeriesCache
{
    private readonly ConcurrentDictionary<SeriesKey, int> _ids = new();

    public static SeriesKey KeyOf(UsageRecord r) => new(
        r.Source == UsageSource.Client ? "client" : "gateway", Cut(r.Operation, 16), r.KeyId ?? Guid.Empty, Cut(r.Purpose, 200), r.ExperimentId ?? Guid.Empty, Cut(r.Variant, 200),
        r.ProviderId ?? Guid.Empty, Cut(r.ProviderName, 100), r.ModelId ?? Guid.Empty, Cut(r.ModelName, 200));

    public int Id(ModelgateDbContext db, SeriesKey key)
    {
        if (_ids.TryGetValue(key, out var id))
        {
            return id;
        }

        id = Find(db, key) ?? Insert(db, key);
        _ids[key] = id;
        return id;
    }

    private static int Insert(ModelgateDbContext db, SeriesKey key)
    {
        var row = new UsageSeriesEntity
        {
            Source = key.Source, Operation = key.Operation, KeyId = key.KeyId, Purpose = key.Purpose, ExperimentId = key.ExperimentId, Variant = key.Variant,
            ProviderId = key.ProviderId, ProviderName = key.ProviderName, ModelId = key.ModelId, ModelName = key.ModelName,
        };
        db.UsageSeries.Add(row);
        try
        {
            db.SaveChanges();
            return row.Id;
        }
        catch (DbUpdateException)
        {
            // Another instance inserted it first.
            db.Entry(row).State = EntityState.Detached;
            return Find(db, key) ?? throw new InvalidOperationException("A usage series could be neither inserted nor found.");
        }
    }

    private static int? Find(ModelgateDbContext db, SeriesKey k) =>
        db.UsageSeries.AsNoTracking()
            .Where(s => s.KeyId == k.KeyId && s.Purpose == k.Purpose && s.ExperimentId == k.ExperimentId && s.Variant == k.Variant && s.ProviderId == k.ProviderId && s.ModelId == k.ModelId
                && s.ProviderName == k.ProviderName && s.ModelName == k.ModelName && s.Operation == k.Operation && s.Source == k.Source)
            .Select(s => (int?)s.Id).FirstOrDefault();

    private static string Cut(string? text, int length) => text is null ? "" : text.Length <= length ? text : text[..length];
}

internal readonly record struct SeriesKey(
    string Source, string Operation, Guid KeyId, string Purpose, Guid ExperimentId, string Variant, Guid ProviderId, string ProviderName, Guid ModelId, string ModelName)
{
    /// <summary>The series of the call's model alone (<see cref="RollupLevel.Model"/>); an empty source marks it as one.</summary>
    public SeriesKey Model => new("", "", Guid.Empty, "", Guid.Empty, "", ProviderId, ProviderName, ModelId, ModelName);

    /// <summary>The series of the call's key alone (<see cref="RollupLevel.Key"/>).</summary>
    public SeriesKey Key => new("", "", KeyId, "", Guid.Empty, "", Guid.Empty, "", Guid.Empty, "");

    public static SeriesKey Of(Entities.UsageSeriesEntity s) =>
        new(s.Source, s.Operation, s.KeyId, s.Purpose, s.ExperimentId, s.Variant, s.ProviderId, s.ProviderName, s.ModelId, s.ModelName);
}
