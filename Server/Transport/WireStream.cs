namespace WsAudio.Server.Transport;

/// <summary>
/// The stream under a connection's <see cref="System.Net.WebSockets.WebSocket"/>: reads come from the client as
/// they are; writes, which the WebSocket makes only for its own pings, pongs and closes, join the connection's
/// outbound queue, so they reach the wire between whole messages and in order with them.
/// </summary>
internal sealed class WireStream : Stream
{
    private readonly Stream _inner;
    private readonly Connection _connection;
    private OutboundQueue? _outbound;
    private int _reads;

    /// <param name="inner">The connection's stream after the handshake.</param>
    /// <param name="connection">Told when the WebSocket lets go of the stream (<see cref="Connection.OnStreamReleased"/>).</param>
    public WireStream(Stream inner, Connection connection)
    {
        _inner = inner;
        _connection = connection;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Where writes go; set once the connection that owns the queue exists.</summary>
    public void Attach(OutboundQueue outbound) => _outbound = outbound;

    /// <summary>
    /// Reads started so far. The WebSocket starts a read only when the one before has brought something (it keeps one
    /// pending while the connection is open), so a change means the peer sent something since: the keep-alive's sign
    /// of life, pongs included, which the WebSocket consumes without a word.
    /// </summary>
    public int Reads => Volatile.Read(ref _reads);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return _inner.ReadAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        return _inner.ReadAsync(buffer, offset, count, cancellationToken);
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        Interlocked.Increment(ref _reads);
        return _inner.Read(buffer, offset, count);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    // The WebSocket writes each frame whole, in one call. Once the connection is past sending, frames are dropped:
    // a pong to a peer that is being cut off helps no one.
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var frame = SharedFrame.ForProtocolFrame(buffer);
        if (_outbound?.EnqueueProtocol(frame) != EnqueueResult.Queued)
        {
            frame.Release();
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    // The WebSocket disposes its stream when it aborts (a dead peer's keep-alive, a close that timed out): the
    // owner must then end the connection, which a pending read on the stream does not notice by itself.
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _connection.OnStreamReleased();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
