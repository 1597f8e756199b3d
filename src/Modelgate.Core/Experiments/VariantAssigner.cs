using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Modelgate.Core.Catalog;

namespace Modelgate.Core.Experiments;

/// <summary>
/// Deterministic, sticky assignment without storage: a unit's position in [0, 1) is a hash of the experiment's id and
/// the unit, so every instance (and every process in direct mode) puts the same session on the same variant. Variants
/// own consecutive ranges in their configured order, so moving weight from one to the next moves only the units at the
/// boundary. Shadow copies draw from an independent hash, so whether a call is copied does not depend on its variant.
/// </summary>
public static class VariantAssigner
{
    /// <summary>Which value of <paramref name="unit"/> the experiment hashes, and what kind of unit that is.</summary>
    public static (string Value, string Kind) UnitOf(Experiment experiment, in ExperimentUnit unit) => experiment.Stickiness switch
    {
        ExperimentStickiness.Session when unit.Session is { } session => (session, "session"),
        ExperimentStickiness.Key when unit.KeyId is { } key => (key.ToString("N"), "key"),
        ExperimentStickiness.Key when unit.Session is { } session => (session, "session"),
        _ => (unit.RequestId, "request"),
    };

    /// <summary>
    /// The split variant for the unit, among <paramref name="weights"/> (one per variant of the experiment, in order; 0
    /// for shadow variants and for variants that cannot serve now). Null when every weight is 0.
    /// </summary>
    public static int? Pick(Experiment experiment, in ExperimentUnit unit, IReadOnlyList<int> weights)
    {
        long total = 0;
        foreach (var weight in weights)
        {
            total += Math.Max(0, weight);
        }

        if (total == 0)
        {
            return null;
        }

        var point = Position(experiment.Id, "split", UnitOf(experiment, unit).Value) * total;
        long upTo = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            upTo += Math.Max(0, weights[i]);
            if (point < upTo)
            {
                return i;
            }
        }

        // Rounding at the very top of the range: the last variant with a weight.
        for (var i = weights.Count - 1; i >= 0; i--)
        {
            if (weights[i] > 0)
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>Whether a shadow variant with <paramref name="percent"/> receives a copy of this unit's call.</summary>
    public static bool Copies(Experiment experiment, ExperimentVariant shadow, in ExperimentUnit unit, int percent) =>
        percent >= 100 || (percent > 0 && Position(experiment.Id, "shadow:" + shadow.Name, unit.RequestId) * 100 < percent);

    /// <summary>A uniform position in [0, 1) from SHA-256 of the experiment, a purpose of the draw and the unit.</summary>
    public static double Position(Guid experiment, string draw, string unit)
    {
        var text = $"{experiment:N}\n{draw}\n{unit}";
        Span<byte> hash = stackalloc byte[32];
        var bytes = Encoding.UTF8.GetByteCount(text) <= 1024 ? stackalloc byte[1024] : new byte[Encoding.UTF8.GetByteCount(text)];
        var length = Encoding.UTF8.GetBytes(text, bytes);
        SHA256.HashData(bytes[..length], hash);
        // The top 53 bits: every double in [0, 1) that the bits can make, evenly spaced.
        return (BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) * (1.0 / (1UL << 53));
    }
}
