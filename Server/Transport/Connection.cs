using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using WsAudio.Protocol;
using WsAudio.Server.Diagnostics;
using WsAudio.Server.Hosting;

namespace WsAudio.Server.Transport;

/// <summary>
/// One client's WebSocket: a receive loop that reads and dispatches messages, and a send loop that drains the
/// connection's <see cref="OutboundQueue"/>. Either side may start the close; the other finishes it, and
/// <see cref="RelayOptions.CloseTimeout"/> bounds how long that may take before the socket is aborted.
/// </summary>
internal sealed partial class Connection : IDisposable, IOutboundOwner
{
    private const int InitialReceiveBytes = 512;

    // Messages written together by the send loop: a second and more of 20 ms frames, or a burst of events.
    private const int MaxBatch = 64;

    // Most writes carry one message; the batch lists grow towards MaxBatch only for a receiver that falls behind,
    // so ten thousand idle listeners do not hold 1.5 KB of empty batch each.
    private const int InitialBatch = 4;

    // A buffer grown for a large message goes back to the pool after this many messages in a row that would have
    // fit the initial size: a client that sent one large message does not keep its memory, and one that sends
    // large messages steadily (PCM) does not copy on every message.
    private const int ShrinkAfterSmallMessages = 64;

    // A client whose last message came this long after the one before (a listener's join or ping, an event) waits
    // for its next one without a receive buffer; one that sends more often (a speaker's frames) keeps it. The same
    // holds for sending: a send loop woken this long after its previous wake-up (an event to a listener the room's
    // writers otherwise write to directly) gives back its batch lists and its queue's empty rings before it waits.
    private const long KeepBuffersWithinMs = 1000;

    // Marks a connection disposed for a close that starts after that.
    private static readonly CancellationTokenSource Disposed = new();

    private readonly WebSocket _socket;
    private readonly WireStream _wire;
    private readonly IWireWriter _writer;
    private readonly Action _abortTransport;
    private readonly RelayOptions _options;
    private readonly ILogger _logger;
    private readonly IMessageHandler _handler;
    private readonly RelayMetrics _metrics;

    // Made when the close starts: it aborts the socket once the close has taken longer than CloseTimeout.
    private CancellationTokenSource? _abort;
    private int _closeRequested;
    private WebSocketCloseStatus _closeStatus;
    private string _closeReason = string.Empty;

    /// <param name="stream">The connection's stream after the handshake.</param>
    /// <param name="writer">Where its frames go: the socket itself, or the stream.</param>
    /// <param name="abortTransport">Drops the underlying connection at once (the HTTP connection's abort).</param>
    public Connection(long id, Stream stream, IWireWriter writer, Action abortTransport, RelayOptions options, TimeSpan slowConsumerTimeout, RelayMetrics metrics, ILogger logger, Func<Connection, IMessageHandler> handler)
    {
        Id = id;
        _metrics = metrics;
        _options = options;
        _logger = logger;
        _writer = writer;
        _abortTransport = abortTransport;
        Outbound = new OutboundQueue(options.QueueDepth, options.MaxPendingControlMessages, slowConsumerTimeout, writer, owner: this);
        var wire = new WireStream(stream, this);
        wire.Attach(Outbound);
        _wire = wire;

        // The WebSocket reads and answers the protocol (pings, pongs, close); messages bypass its send path: they are
        // framed once per message and written by the queue and the send loop. Its own keep-alive is off: that would
        // be a timer per connection, firing every few seconds each; the connection monitor's one pass does it
        // instead (KeepAlive).
        _socket = WebSocket.CreateFromStream(wire, new WebSocketCreationOptions
        {
            IsServer = true,
            SubProtocol = ProtocolConstants.Subprotocol,
            KeepAliveInterval = TimeSpan.Zero,
        });
        _handler = handler(this);
    }

    public long Id { get; }

    /// <summary>The protocol layer; the connection monitor ticks it for timeouts.</summary>
    public IMessageHandler Handler => _handler;

    public OutboundQueue Outbound { get; }

    /// <summary>True once this connection is closing; messages that arrive after that are ignored.</summary>
    public bool IsClosing => Volatile.Read(ref _closeRequested) != 0;

    /// <summary>The close code this connection ended (or is ending) with, for the log.</summary>
    public string CloseDescription => IsClosing ? $"{(int)_closeStatus} {_closeReason}".TrimEnd() : "aborted";

    public async Task RunAsync()
    {
        var sending = SendLoopAsync();
        try
        {
            await ReceiveLoopAsync();
        }
        catch (OperationCanceledException)
        {
            // The close handshake timed out and the socket was aborted.
        }
        catch (WebSocketException)
        {
            // The peer went away without a close handshake.
        }
        catch (Exception ex)
        {
            Log.ConnectionFailed(_logger, Id, ex);
            RequestClose(WebSocketCloseStatus.InternalServerError, "internal-error", discardQueued: true);
        }
        finally
        {
            _handler.OnDisconnected();
            if (!IsClosing)
            {
                Outbound.Close(discardQueued: true);
                _socket.Abort();
            }

            await sending;
            Log.ConnectionClosed(_logger, Id, CloseDescription, Outbound.Dropped);
        }
    }

    /// <summary>
    /// Starts the close: queued messages are sent first (unless discarded), then a close frame with
    /// <paramref name="status"/>. Only the first call counts.
    /// </summary>
    public void RequestClose(WebSocketCloseStatus status, string reason, bool discardQueued)
    {
        if (Interlocked.CompareExchange(ref _closeRequested, 1, 0) != 0)
        {
            return;
        }

        _closeStatus = status;
        _closeReason = reason;
        Outbound.Close(discardQueued);

        // A close that times out aborts the socket, which ends any pending receive and cuts the connection. One
        // registration, made only now: an open connection holds none, and passing a token to every receive instead
        // would register per message and push ManagedWebSocket onto its slower cancellable path.
        var abort = new CancellationTokenSource();
        abort.Token.UnsafeRegister(static socket => ((WebSocket)socket!).Abort(), _socket);
        if (Interlocked.CompareExchange(ref _abort, abort, null) is not null)
        {
            abort.Dispose();
            return;
        }

        try
        {
            abort.CancelAfter(_options.CloseTimeout);
        }
        catch (ObjectDisposedException)
        {
            // Finished meanwhile.
        }
    }

    public void Dispose()
    {
        var abort = Interlocked.Exchange(ref _abort, Disposed);
        if (!ReferenceEquals(abort, Disposed))
        {
            abort?.Dispose();
        }

        _socket.Dispose();
    }

    /// <summary>
    /// The WebSocket let go of its stream, which it does when it aborts (a close that timed out) and after a normal
    /// close handshake: only an abort must cut the connection, which a pending read does not notice by itself.
    /// </summary>
    public void OnStreamReleased()
    {
        if (_socket.State == WebSocketState.Aborted)
        {
            _abortTransport();
        }
    }

    void IOutboundOwner.OnWritten(ReadOnlySpan<SharedFrame> frames) => CountSent(frames);

    void IOutboundOwner.OnBroken() => _abortTransport();

    // The send loop may be stuck writing to a peer that reads nothing, so the close starts here; if the close frame
    // cannot be written either, the close timeout aborts the socket and the connection leaves its room.
    void IOutboundOwner.OnOverflow()
    {
        if (!IsClosing)
        {
            Log.SlowConsumer(_logger, Id);
            RequestClose((WebSocketCloseStatus)CloseCodes.SlowConsumer, ErrorCodes.SlowConsumer, discardQueued: true);
        }
    }

    // Between messages of a client that sends rarely, the receive waits with an empty buffer (the WebSocket then
    // returns once the next message starts) and rents one only for the message: ten thousand listeners hold no
    // receive buffer while they listen.
    private async Task ReceiveLoopAsync()
    {
        byte[]? buffer = null;
        try
        {
            int length = 0;
            int smallInARow = 0;
            long lastMessageAt = 0;
            while (true)
            {
                if (buffer is null)
                {
                    var start = await _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                    if (start.MessageType == WebSocketMessageType.Close)
                    {
                        AnswerClose();
                        return;
                    }

                    if (start.EndOfMessage)
                    {
                        // An empty message, whole already.
                        if (!IsClosing)
                        {
                            _handler.OnMessage(start.MessageType, []);
                        }

                        continue;
                    }

                    buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBytes);
                }

                int limit = Math.Min(buffer.Length, _options.MaxMessageBytes);
                if (length == limit)
                {
                    if (IsClosing)
                    {
                        length = 0;
                    }
                    else if (limit == _options.MaxMessageBytes)
                    {
                        _handler.OnMessageTooBig();
                        length = 0;
                    }
                    else
                    {
                        buffer = Grow(buffer, length);
                        limit = Math.Min(buffer.Length, _options.MaxMessageBytes);
                    }
                }

                var result = await _socket.ReceiveAsync(buffer.AsMemory(length, limit - length), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    AnswerClose();
                    return;
                }

                length += result.Count;
                if (!result.EndOfMessage)
                {
                    continue;
                }

                if (!IsClosing)
                {
                    _handler.OnMessage(result.MessageType, buffer.AsSpan(0, length));
                }

                long now = Environment.TickCount64;
                smallInARow = length <= InitialReceiveBytes ? smallInARow + 1 : 0;
                if (now - lastMessageAt > KeepBuffersWithinMs)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                    smallInARow = 0;
                }
                else if (smallInARow >= ShrinkAfterSmallMessages && buffer.Length > InitialReceiveBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBytes);
                }

                lastMessageAt = now;
                length = 0;
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    // The peer started the close: answer with its own status once what is queued is dropped.
    private void AnswerClose() =>
        RequestClose(_socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, string.Empty, discardQueued: true);

    private static byte[] Grow(byte[] buffer, int used)
    {
        byte[] larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, used).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }

    // Drops the first count bytes of segments.
    private static void Skip(List<ArraySegment<byte>> segments, int count)
    {
        int whole = 0;
        while (whole < segments.Count && count >= segments[whole].Count)
        {
            count -= segments[whole].Count;
            whole++;
        }

        segments.RemoveRange(0, whole);
        if (count > 0)
        {
            segments[0] = segments[0][count..];
        }
    }

    // Once per write, not per frame: one clock read and one add per counter, as a writer run makes such writes to
    // thousands of receivers a frame.
    private void CountSent(ReadOnlySpan<SharedFrame> frames)
    {
        long now = 0;
        int audio = 0;
        long bytes = 0;
        int control = 0;
        foreach (var frame in frames)
        {
            if (frame.IsAudio)
            {
                if (audio++ == 0)
                {
                    now = System.Diagnostics.Stopwatch.GetTimestamp();
                }

                bytes += frame.Length;
                _metrics.FrameLatency(now - frame.ReceivedTimestamp);
            }
            else if (frame.Kind == FrameKind.Text)
            {
                control++;
            }
        }

        _metrics.Sent(audio, bytes, control);
    }

    // Writes what the queue could not write at once, all that waits in one write. The close frame, which the
    // WebSocket frames, joins the queue behind everything queued before it and goes out like the rest.
    // A receiver that keeps up is written to by the queue itself and never queues anything, so its batch lists are
    // made only when something first waits for this loop.
    private async Task SendLoopAsync()
    {
        List<SharedFrame>? batch = null;
        List<ArraySegment<byte>>? segments = null;
        bool closeQueued = false;
        long wokenAt = 0;
        long wokenBefore = 0;
        try
        {
            while (true)
            {
                if (batch is null && Outbound.Count > 0)
                {
                    batch = new List<SharedFrame>(InitialBatch);
                }

                if (batch is not null && Outbound.TryDequeue(batch, MaxBatch, out int offset))
                {
                    segments ??= new List<ArraySegment<byte>>(InitialBatch);
                    try
                    {
                        int total = 0;
                        for (int i = 0; i < batch.Count; i++)
                        {
                            segments.Add(batch[i].WireSegment(i == 0 ? offset : 0));
                            total += segments[i].Count;
                        }

                        // Most often the socket takes it all at once; the rest waits for the socket to drain.
                        int written = _writer.TryWriteNow(segments);
                        if (written < 0)
                        {
                            throw new WebSocketException("the connection broke while writing");
                        }

                        if (written < total)
                        {
                            Skip(segments, written);
                            await _writer.WriteAsync(segments);
                        }

                        CountSent(CollectionsMarshal.AsSpan(batch));
                    }
                    finally
                    {
                        foreach (var frame in batch)
                        {
                            frame.Release();
                        }

                        batch.Clear();
                        segments.Clear();
                    }

                    continue;
                }

                if (IsClosing && !closeQueued)
                {
                    closeQueued = true;
                    if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(_closeStatus, _closeReason, CancellationToken.None);
                    }

                    continue;
                }

                if (IsClosing || Outbound.IsClosed)
                {
                    return;
                }

                if (wokenAt - wokenBefore > KeepBuffersWithinMs)
                {
                    batch = null;
                    segments = null;
                    Outbound.TrimEmptyRings();
                }

                await Outbound.WaitAsync();
                (wokenBefore, wokenAt) = (wokenAt, Environment.TickCount64);
            }
        }
        catch (OperationCanceledException)
        {
            // Close timed out; the socket is aborted.
        }
        catch (WebSocketException)
        {
            // The peer is gone; the receive loop sees the same and ends the connection.
            _metrics.SendFailed();
            _socket.Abort();
        }
        finally
        {
            Outbound.Finish();
        }
    }
}
