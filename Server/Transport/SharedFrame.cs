using System.Buffers;
using System.Net.WebSockets;

namespace WsAudio.Server.Transport;

/// <summary>
/// One outgoing message shared by every subscriber it is queued for. Reference-counted so the payload is written
/// once and never copied per subscriber; the last release returns a pooled buffer to <see cref="ArrayPool{T}"/>.
/// </summary>
/// <remarks>
/// The object itself is allocated per message (a few dozen bytes, never per subscriber): cheaper than a shared
/// object pool whose every rent and return would contend across all send loops.
/// </remarks>
internal sealed class SharedFrame
{
    private readonly byte[] _buffer;
    private readonly int _length;
    private readonly bool _bufferFromPool;
    private int _references = 1;

    private SharedFrame(WebSocketMessageType type, byte[] buffer, int length, bool bufferFromPool)
    {
        ReceivedTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        MessageType = type;
        _buffer = buffer;
        _length = length;
        _bufferFromPool = bufferFromPool;
    }

    /// <summary>Binary for audio, Text for JSON control messages.</summary>
    public WebSocketMessageType MessageType { get; }

    public bool IsAudio => MessageType == WebSocketMessageType.Binary;

    /// <summary>When the frame was received (Stopwatch ticks), for the forwarding-latency histogram.</summary>
    public long ReceivedTimestamp { get; }

    public int Length => _length;

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, _length);

    /// <summary>A binary frame with one reference (the caller's) holding a pooled copy of <paramref name="content"/>.</summary>
    public static SharedFrame RentAudio(ReadOnlySpan<byte> content)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(content.Length);
        content.CopyTo(buffer);
        return new SharedFrame(WebSocketMessageType.Binary, buffer, content.Length, bufferFromPool: true);
    }

    /// <summary>A text frame over an already serialized JSON message, with one reference (the caller's).</summary>
    public static SharedFrame ForText(byte[] utf8Json) =>
        new(WebSocketMessageType.Text, utf8Json, utf8Json.Length, bufferFromPool: false);

    public void AddReferences(int count) => Interlocked.Add(ref _references, count);

    public void Release() => Release(1);

    public void Release(int count)
    {
        if (count == 0)
        {
            return;
        }

        int remaining = Interlocked.Add(ref _references, -count);
        if (remaining == 0 && _bufferFromPool)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
        else if (remaining < 0)
        {
            throw new InvalidOperationException("SharedFrame released more often than referenced.");
        }
    }
}
