using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Modelgate.Core.Experiments;

/// <summary>
/// What is stored of a caller's session id: the first 8 bytes of its SHA-256, so usage rows stay small, feedback naming a
/// session finds its calls, and the id itself (which may be a user's identifier) is not kept.
/// </summary>
public static class SessionHash
{
    public static long Of(string session)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(session), hash);
        return BinaryPrimitives.ReadInt64BigEndian(hash);
    }
}
