using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace WsAudio.Server.Transport;

/// <summary>
/// One outgoing message shared by every subscriber it is queued for. Reference-counted so the payload is written
/// once and never copied per subscriber; the last release returns the buffer and this object to their pools.
/// </summary>
internal sealed class SharedFrame
{
    private const int MaxPooledFrames = 8192;
    private static readonly ConcurrentQueue<SharedFrame> Pool = new();
    private static int s_pooledCount;

    private byte[] _buffer = [];
    private int _length;
    private int _references;
    private bool _bufferFromPool;

    private SharedFrame()
    {
    }

    /// <summary>Binary for audio, Text for JSON control messages.</summary>
    public WebSocketMessageType MessageType { get; private set; }

    public bool IsAudio => MessageType == WebSocketMessageType.Binary;

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, _length);

    /// <summary>A binary frame with one reference (the caller's) holding a pooled copy of <paramref name="content"/>.</summary>
    public static SharedFrame RentAudio(ReadOnlySpan<byte> content)
    {
        var frame = RentShell(WebSocketMessageType.Binary);
        frame._buffer = ArrayPool<byte>.Shared.Rent(content.Length);
        frame._bufferFromPool = true;
        frame._length = content.Length;
        content.CopyTo(frame._buffer);
        return frame;
    }

    /// <summary>A text frame over an already serialized JSON message, with one reference (the caller's).</summary>
    public static SharedFrame ForText(byte[] utf8Json)
    {
        var frame = RentShell(WebSocketMessageType.Text);
        frame._buffer = utf8Json;
        frame._bufferFromPool = false;
        frame._length = utf8Json.Length;
        return frame;
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
            Recycle();
        }
        else if (remaining < 0)
        {
            throw new InvalidOperationException("SharedFrame released more often than referenced.");
        }
    }

    private static SharedFrame RentShell(WebSocketMessageType type)
    {
        if (Pool.TryDequeue(out var frame))
        {
            Interlocked.Decrement(ref s_pooledCount);
        }
        else
        {
            frame = new SharedFrame();
        }

        frame.MessageType = type;
        frame._references = 1;
        return frame;
    }

    private void Recycle()
    {
        if (_bufferFromPool)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = [];
        _length = 0;
        if (Interlocked.Increment(ref s_pooledCount) <= MaxPooledFrames)
        {
            Pool.Enqueue(this);
        }
        else
        {
            Interlocked.Decrement(ref s_pooledCount);
        }
    }
}
