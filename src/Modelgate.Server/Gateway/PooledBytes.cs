using System.Buffers;

namespace Modelgate.Server.Gateway;

/// <summary>Bytes in a buffer rented from the shared pool, returned on dispose: bodies read without garbage per request.</summary>
internal readonly struct PooledBytes(byte[] buffer, int length) : IDisposable
{
    public ReadOnlyMemory<byte> Memory => buffer.AsMemory(0, length);

    public void Dispose() => ArrayPool<byte>.Shared.Return(buffer);

    /// <summary>
    /// Reads a stream to its end, at most <paramref name="limit"/> bytes: null when there is more, or with
    /// <paramref name="truncate"/> the first <paramref name="limit"/> bytes. <paramref name="announced"/> (a
    /// Content-Length) sizes the buffer; it is not trusted as a bound.
    /// </summary>
    public static async Task<PooledBytes?> ReadAsync(Stream stream, long? announced, long limit, bool truncate, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(announced is { } length && length < limit ? (int)length + 1 : 16 * 1024);
        var used = 0;
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(used), cancellationToken)) > 0)
            {
                used += read;
                if (used > limit)
                {
                    if (!truncate)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return null;
                    }

                    return new PooledBytes(buffer, (int)limit);
                }

                if (used == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, used).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }

            return new PooledBytes(buffer, used);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}
