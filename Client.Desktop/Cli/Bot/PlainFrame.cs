using System.Buffers.Binary;

namespace WsAudio.Cli.Bot;

/// <summary>
/// The frame of the benchmark peers' plain shape (<c>wsaudio bot --plain</c>): relays that know nothing of the
/// WsAudio protocol pass it on as it is. Big-endian, like the WsAudio header.
/// </summary>
internal static class PlainFrame
{
    /// <summary>Capture time (int64, µs since the Unix epoch), stream (uint32), sequence (uint32).</summary>
    public const int PrefixSize = 16;

    public static int Write(Span<byte> destination, long captureMicros, uint stream, uint sequence, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteInt64BigEndian(destination, captureMicros);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], stream);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], sequence);
        payload.CopyTo(destination[PrefixSize..]);
        return PrefixSize + payload.Length;
    }

    public static bool TryRead(ReadOnlySpan<byte> frame, out long captureMicros, out uint stream, out uint sequence)
    {
        if (frame.Length < PrefixSize)
        {
            (captureMicros, stream, sequence) = (0, 0, 0);
            return false;
        }

        captureMicros = BinaryPrimitives.ReadInt64BigEndian(frame);
        stream = BinaryPrimitives.ReadUInt32BigEndian(frame[8..]);
        sequence = BinaryPrimitives.ReadUInt32BigEndian(frame[12..]);
        return true;
    }
}
