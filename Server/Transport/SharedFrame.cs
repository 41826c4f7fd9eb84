using System.Buffers;
using System.Buffers.Binary;

namespace WsAudio.Server.Transport;

/// <summary>
/// One outgoing WebSocket message shared by every subscriber it is queued for, held as the bytes that go on the
/// wire. Reference-counted so it is framed and written once, never copied per subscriber; the last release
/// returns its pooled buffer to <see cref="ArrayPool{T}"/>.
/// </summary>
/// <remarks>
/// Server-to-client frames are not masked, so the WebSocket header is the same for every receiver: it is written
/// once, into room kept in front of the payload. The object itself is allocated per message (a few dozen bytes,
/// never per subscriber): cheaper than a shared object pool whose every rent and return would contend across all
/// send loops.
/// </remarks>
internal sealed class SharedFrame
{
    // The longest header of an unmasked frame: 2 bytes, a 64-bit length.
    private const int HeaderRoom = 10;

    private readonly byte[] _buffer;
    private readonly int _start;
    private readonly int _end;
    private int _references = 1;

    private SharedFrame(FrameKind kind, byte[] buffer, int start, int end)
    {
        ReceivedTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        Kind = kind;
        _buffer = buffer;
        _start = start;
        _end = end;
    }

    public FrameKind Kind { get; }

    /// <summary>Audio may be dropped for a slow receiver; everything else must arrive.</summary>
    public bool IsAudio => Kind == FrameKind.Audio;

    /// <summary>When the frame was received (Stopwatch ticks), for the forwarding-latency histogram.</summary>
    public long ReceivedTimestamp { get; }

    /// <summary>
    /// The frame's place among the audio of the room that keeps it (1, 2, ...), given before any receiver sees it; 0
    /// when nothing numbered it. Lets a receiver that started with a burst of the room's recent frames skip the ones
    /// it already has.
    /// </summary>
    public long Ordinal { get; set; }

    /// <summary>Bytes of the message itself, without the WebSocket header.</summary>
    public int Length { get; private init; }

    /// <summary>The message without its WebSocket header (an audio frame as the sender sent it).</summary>
    public ReadOnlyMemory<byte> Payload => _buffer.AsMemory(_end - Length, Length);

    /// <summary>The whole WebSocket frame, header and payload, as it goes on the wire.</summary>
    public ReadOnlyMemory<byte> Wire => _buffer.AsMemory(_start, _end - _start);

    /// <summary><see cref="Wire"/> from <paramref name="offset"/> on, for a gathering write.</summary>
    public ArraySegment<byte> WireSegment(int offset) => new(_buffer, _start + offset, _end - _start - offset);

    /// <summary>A binary message with one reference (the caller's) holding a pooled, framed copy of <paramref name="content"/>.</summary>
    public static SharedFrame RentAudio(ReadOnlySpan<byte> content) => Rent(FrameKind.Audio, opcode: 0x2, content);

    /// <summary>A text message over a serialized JSON message, with one reference (the caller's).</summary>
    public static SharedFrame ForText(ReadOnlySpan<byte> utf8Json) => Rent(FrameKind.Text, opcode: 0x1, utf8Json);

    /// <summary>
    /// A frame the WebSocket protocol layer framed itself (a ping, pong or close), with one reference (the caller's).
    /// </summary>
    public static SharedFrame ForProtocolFrame(ReadOnlySpan<byte> wire)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(wire.Length);
        wire.CopyTo(buffer);
        return new SharedFrame(FrameKind.Protocol, buffer, 0, wire.Length) { Length = wire.Length };
    }

    public void AddReferences(int count) => Interlocked.Add(ref _references, count);

    public void Release() => Release(1);

    public void Release(int count)
    {
        if (count == 0)
        {
            return;
        }

        int remaining = Interlocked.Add(ref _references, -count);
        if (remaining == 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
        else if (remaining < 0)
        {
            throw new InvalidOperationException("SharedFrame released more often than referenced.");
        }
    }

    private static SharedFrame Rent(FrameKind kind, byte opcode, ReadOnlySpan<byte> content)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(HeaderRoom + content.Length);
        content.CopyTo(buffer.AsSpan(HeaderRoom));
        int start = WriteHeader(buffer, opcode, content.Length);
        return new SharedFrame(kind, buffer, start, HeaderRoom + content.Length) { Length = content.Length };
    }

    // RFC 6455 §5.2: FIN and the opcode, then the length in 7 bits, or 126 and 16 bits, or 127 and 64 bits; no mask.
    // The header ends where the payload starts; returns where it begins.
    private static int WriteHeader(byte[] buffer, byte opcode, int length)
    {
        int start;
        if (length < 126)
        {
            start = HeaderRoom - 2;
            buffer[start + 1] = (byte)length;
        }
        else if (length <= ushort.MaxValue)
        {
            start = HeaderRoom - 4;
            buffer[start + 1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(start + 2), (ushort)length);
        }
        else
        {
            start = 0;
            buffer[1] = 127;
            BinaryPrimitives.WriteUInt64BigEndian(buffer.AsSpan(2), (ulong)length);
        }

        buffer[start] = (byte)(0x80 | opcode);
        return start;
    }
}
