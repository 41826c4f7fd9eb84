using System.Buffers.Binary;

namespace WsAudio.Cli.Bot;

/// <summary>
/// The capture time and sequence number a speaker writes into its Opus packets (after the table-of-contents byte)
/// when listeners play the listen URL: Ogg pages carry no frame header, so the packet itself must say when it was
/// sent. The packets no longer decode to the same sound; the server only reads their first byte.
/// </summary>
internal static class PacketStamp
{
    private const int CaptureOffset = 1;
    private const int SequenceOffset = 9;

    /// <summary>Bytes a packet needs to carry a stamp.</summary>
    public const int Size = 13;

    public static void Write(Span<byte> packet, long captureMicros, uint sequence)
    {
        BinaryPrimitives.WriteInt64BigEndian(packet[CaptureOffset..], captureMicros);
        BinaryPrimitives.WriteUInt32BigEndian(packet[SequenceOffset..], sequence);
    }

    public static bool TryRead(ReadOnlySpan<byte> packet, out long captureMicros, out uint sequence)
    {
        (captureMicros, sequence) = (0, 0);
        if (packet.Length < Size)
        {
            return false;
        }

        captureMicros = BinaryPrimitives.ReadInt64BigEndian(packet[CaptureOffset..]);
        sequence = BinaryPrimitives.ReadUInt32BigEndian(packet[SequenceOffset..]);
        return true;
    }
}
