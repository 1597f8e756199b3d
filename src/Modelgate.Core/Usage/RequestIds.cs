using System.Buffers.Binary;

namespace Modelgate.Core.Usage;

/// <summary>
/// Request ids in the UUID version 7 layout (time-ordered: 48 bits of Unix milliseconds, then 74 random bits).
/// <see cref="Guid.CreateVersion7()"/> draws its random part from the operating system's CSPRNG on every call, which
/// showed in the gateway's profile; an id only has to be unique, not unguessable, so the bits come from
/// <see cref="Random.Shared"/> (seeded from the OS once).
/// </summary>
public static class RequestIds
{
    public static Guid Next(DateTimeOffset at)
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes[6..]);
        var milliseconds = (ulong)at.ToUnixTimeMilliseconds();
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)(milliseconds >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(bytes[2..], (uint)milliseconds);
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>When a version 7 id was made (its first 48 bits), or null for an id of another version.</summary>
    public static DateTimeOffset? TimeOf(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        if (bytes[6] >> 4 != 7)
        {
            return null;
        }

        var milliseconds = ((long)BinaryPrimitives.ReadUInt16BigEndian(bytes) << 32) | BinaryPrimitives.ReadUInt32BigEndian(bytes[2..]);
        return DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
    }
}
