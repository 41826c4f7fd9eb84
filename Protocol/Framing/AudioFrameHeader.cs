using System.Buffers.Binary;

namespace WsAudio.Protocol.Framing;

/// <summary>
/// The fixed 24-byte header in front of every audio payload. All integers are big-endian (network order).
/// </summary>
/// <remarks>
/// Layout: version (1) · frame type (1) · codec (1) · flags (1) · stream id (4) · sequence (4) ·
/// media timestamp (4) · capture time in microseconds (8). docs/protocol.md has the byte table.
/// </remarks>
/// <param name="Codec">How the payload is coded; must match the format the sender declared in <c>join</c>.</param>
/// <param name="Flags">Frame flags such as end-of-stream.</param>
/// <param name="StreamId">The sender's stream, as assigned by the server in <c>joined</c>.</param>
/// <param name="Sequence">Increases by one per frame of the stream, wrapping at 2^32.</param>
/// <param name="Timestamp">Media time of the first sample, in samples at the stream's rate, wrapping at 2^32.</param>
/// <param name="CaptureTimeMicros">Sender clock at capture, microseconds since the Unix epoch; 0 when unknown.</param>
public readonly record struct AudioFrameHeader(
    AudioCodec Codec,
    FrameFlags Flags,
    uint StreamId,
    uint Sequence,
    uint Timestamp,
    long CaptureTimeMicros)
{
    private const int VersionOffset = 0;
    private const int TypeOffset = 1;
    private const int CodecOffset = 2;
    private const int FlagsOffset = 3;
    private const int StreamIdOffset = 4;
    private const int SequenceOffset = 8;
    private const int TimestampOffset = 12;
    private const int CaptureTimeOffset = 16;

    /// <summary>True when the end-of-stream flag is set.</summary>
    public bool IsEndOfStream => (Flags & FrameFlags.EndOfStream) != 0;

    /// <summary>Reads the header at the start of <paramref name="frame"/>; the payload follows at <see cref="ProtocolConstants.HeaderSize"/>.</summary>
    public static FrameError TryRead(ReadOnlySpan<byte> frame, out AudioFrameHeader header)
    {
        header = default;
        if (frame.Length < ProtocolConstants.HeaderSize)
        {
            return FrameError.Truncated;
        }

        if (frame[VersionOffset] != ProtocolConstants.Version)
        {
            return FrameError.UnsupportedVersion;
        }

        if (frame[TypeOffset] != (byte)FrameType.Audio)
        {
            return FrameError.UnknownFrameType;
        }

        var codec = (AudioCodec)frame[CodecOffset];
        if (codec is not (AudioCodec.Opus or AudioCodec.Pcm16))
        {
            return FrameError.UnknownCodec;
        }

        header = new AudioFrameHeader(
            codec,
            (FrameFlags)frame[FlagsOffset],
            BinaryPrimitives.ReadUInt32BigEndian(frame[StreamIdOffset..]),
            BinaryPrimitives.ReadUInt32BigEndian(frame[SequenceOffset..]),
            BinaryPrimitives.ReadUInt32BigEndian(frame[TimestampOffset..]),
            BinaryPrimitives.ReadInt64BigEndian(frame[CaptureTimeOffset..]));
        return FrameError.None;
    }

    /// <summary>Writes the header into the first 24 bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, ProtocolConstants.HeaderSize, nameof(destination));
        destination[VersionOffset] = ProtocolConstants.Version;
        destination[TypeOffset] = (byte)FrameType.Audio;
        destination[CodecOffset] = (byte)Codec;
        destination[FlagsOffset] = (byte)Flags;
        BinaryPrimitives.WriteUInt32BigEndian(destination[StreamIdOffset..], StreamId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[SequenceOffset..], Sequence);
        BinaryPrimitives.WriteUInt32BigEndian(destination[TimestampOffset..], Timestamp);
        BinaryPrimitives.WriteInt64BigEndian(destination[CaptureTimeOffset..], CaptureTimeMicros);
    }

    /// <summary>Writes header and payload as one frame; returns the number of bytes written.</summary>
    public int WriteFrame(Span<byte> destination, ReadOnlySpan<byte> payload)
    {
        int length = ProtocolConstants.HeaderSize + payload.Length;
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, length, nameof(destination));
        Write(destination);
        payload.CopyTo(destination[ProtocolConstants.HeaderSize..]);
        return length;
    }
}
