using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using WsAudio.Protocol;
using WsAudio.Protocol.Framing;
using WsAudio.Protocol.Messages;

namespace WsAudio.Cli.Bot;

/// <summary>
/// One simulated participant: a WebSocket that joins, counts and times every frame it receives, sends frames
/// when told to (speakers), and reconnects by itself if the connection drops while the test runs.
/// </summary>
internal sealed class BotPeer : IBotPeer
{
    private readonly Uri _url;
    private readonly string _room;
    private readonly ParticipantRole _role;
    private readonly string? _token;
    private readonly LoadStats _stats;
    private readonly long _lateMicros;
    private readonly CancellationToken _stopping;
    private readonly bool _plain;
    private readonly bool _stamp;
    private readonly Dictionary<uint, StreamTracker> _streams = [];
    private readonly byte[] _frame = new byte[ProtocolConstants.HeaderSize + OpusFrameLimit];

    // What the join's answer and then every frame are read into; grown for a 'joined' of a large room.
    private byte[] _buffer = new byte[2048];
    private ClientWebSocket? _socket;
    private uint? _streamId;
    private uint _sequence;
    private Task _send = Task.CompletedTask;

    private const int OpusFrameLimit = 1500;

    private static readonly byte[] PingBytes = ControlMessageSerializer.Serialize(new PingMessage { T = 0 });
    private static int s_plainStreams;

    /// <param name="plain">Speak the benchmark peers' plain shape (<see cref="PlainFrame"/>) instead of the protocol.</param>
    /// <param name="stamp">Write <see cref="PacketStamp"/> into each packet sent, for listeners of the listen URL.</param>
    public BotPeer(Uri url, string room, ParticipantRole role, string? token, LoadStats stats, TimeSpan late, CancellationToken stopping, bool plain = false, bool stamp = false)
    {
        _plain = plain;
        _stamp = stamp;
        _url = plain ? new UriBuilder(url) { Query = $"room={Uri.EscapeDataString(room)}&role={role.ToString().ToLowerInvariant()}" }.Uri : url;
        _room = room;
        _role = role;
        _token = token;
        _stats = stats;
        _lateMicros = (long)(late.TotalMilliseconds * 1000);
        _stopping = stopping;
    }

    public bool IsSpeaker => _role.CanSend();

    /// <summary>Connects and joins; false (and counted) when that fails.</summary>
    public async Task<bool> ConnectAsync(TimeSpan timeout)
    {
        var socket = new ClientWebSocket();
        if (!_plain)
        {
            socket.Options.AddSubProtocol(ProtocolConstants.Subprotocol);
        }

        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(15);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        limit.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(_url, limit.Token);
            if (_plain)
            {
                // Connected is joined; a speaker's stream is whatever number the bot gives it.
                _streamId = IsSpeaker ? (uint)Interlocked.Increment(ref s_plainStreams) : null;
                _socket = socket;
                _stats.ConnectionOpened();
                _ = Task.Run(() => ReceiveLoopAsync(socket), CancellationToken.None);
                return true;
            }

            var join = new JoinMessage { Room = _room, Role = _role, Name = $"bot-{_role.ToString().ToLowerInvariant()}", Token = _token };
            await socket.SendAsync(ControlMessageSerializer.Serialize(join), WebSocketMessageType.Text, true, limit.Token);
            while (true)
            {
                (var type, int length, _buffer) = await ReceiveMessageAsync(socket, _buffer, limit.Token);
                if (type == WebSocketMessageType.Close)
                {
                    throw new WebSocketException($"closed during join: {socket.CloseStatus} {socket.CloseStatusDescription}");
                }

                if (type == WebSocketMessageType.Text && JoinReply.TryRead(_buffer.AsSpan(0, length), out var reply))
                {
                    if (reply.IsJoined)
                    {
                        _streamId = reply.StreamId;
                        break;
                    }

                    if (reply.IsError)
                    {
                        throw new WebSocketException($"join refused: {reply.ErrorCode}: {reply.ErrorMessage}");
                    }
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or HttpRequestException)
        {
            socket.Dispose();
            _stats.ConnectionFailed();
            return false;
        }

        _socket = socket;
        _stats.ConnectionOpened();
        _ = Task.Run(() => ReceiveLoopAsync(socket), CancellationToken.None);
        return true;
    }

    /// <summary>Sends one frame of this speaker's stream, unless the previous one is still being written (counted).</summary>
    public void TrySend(ReadOnlySpan<byte> packet, uint timestamp)
    {
        var socket = _socket;
        if (socket is null || _streamId is not { } stream || socket.State != WebSocketState.Open)
        {
            return;
        }

        if (!_send.IsCompleted)
        {
            _stats.FrameSkipped();
            return;
        }

        long capture = CaptureClock.NowMicros();
        uint sequence = _sequence++;
        int length = _plain
            ? PlainFrame.Write(_frame, capture, stream, sequence, packet)
            : new AudioFrameHeader(AudioCodec.Opus, FrameFlags.None, stream, sequence, timestamp, capture).WriteFrame(_frame, packet);
        if (_stamp && packet.Length >= PacketStamp.Size)
        {
            PacketStamp.Write(_frame.AsSpan(length - packet.Length), capture, sequence);
        }

        _send = SendAsync(socket, length);
    }

    /// <summary>Sends a ping, which keeps a listen-only connection inside the server's idle timeout.</summary>
    public async Task PingAsync()
    {
        var socket = _socket;

        // A speaker's frames keep it alive once it sends; before that it pings like a listener, through the same
        // one-send-at-a-time slot as its frames.
        if (socket?.State != WebSocketState.Open || _plain || (IsSpeaker && (_sequence > 0 || !_send.IsCompleted)))
        {
            return;
        }

        try
        {
            var ping = socket.SendAsync(PingBytes, WebSocketMessageType.Text, true, _stopping);
            if (IsSpeaker)
            {
                _send = ping;
            }

            await ping;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Adds this peer's per-stream jitter to the totals and closes the connection.</summary>
    public async Task FinishAsync()
    {
        foreach (var tracker in _streams.Values)
        {
            _stats.AddJitter(tracker.JitterMicros);
        }

        var socket = _socket;
        _socket = null;
        if (socket is null)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _send.WaitAsync(timeout.Token);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Closing anyway.
        }

        socket.Abort();
        socket.Dispose();
    }

    private async Task SendAsync(ClientWebSocket socket, int length)
    {
        try
        {
            await socket.SendAsync(_frame.AsMemory(0, length), WebSocketMessageType.Binary, true, _stopping);
            _stats.FrameSent();
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The receive loop notices the broken connection and reconnects.
        }
    }

    private async Task ReceiveLoopAsync(ClientWebSocket socket)
    {
        try
        {
            while (true)
            {
                (var type, int length, _buffer) = await ReceiveMessageAsync(socket, _buffer, CancellationToken.None);
                if (type == WebSocketMessageType.Close)
                {
                    break;
                }

                if (type == WebSocketMessageType.Binary)
                {
                    OnFrame(_buffer.AsSpan(0, length));
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        if (!_stopping.IsCancellationRequested && ReferenceEquals(_socket, socket))
        {
            await ReconnectAsync();
        }
    }

    private void OnFrame(ReadOnlySpan<byte> frame)
    {
        long capture;
        uint stream;
        uint sequence;
        if (_plain)
        {
            if (!PlainFrame.TryRead(frame, out capture, out stream, out sequence))
            {
                return;
            }
        }
        else if (AudioFrameHeader.TryRead(frame, out var header) == FrameError.None)
        {
            (capture, stream, sequence) = (header.CaptureTimeMicros, header.StreamId, header.Sequence);
        }
        else
        {
            return;
        }

        if (!_streams.TryGetValue(stream, out var tracker))
        {
            tracker = new StreamTracker();
            _streams[stream] = tracker;
        }

        _stats.Receive(tracker, sequence, capture, _lateMicros);
    }

    private async Task ReconnectAsync()
    {
        _socket = null;
        var delay = TimeSpan.FromMilliseconds(250);
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, _stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (await ConnectAsync(TimeSpan.FromSeconds(10)))
            {
                _stats.Reconnected();
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    /// <summary>Reads one whole message, growing the buffer when it does not fit (a 'joined' of a large room).</summary>
    // Called for every frame a listener receives: its state machine is pooled, not allocated per message.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<(WebSocketMessageType Type, int Length, byte[] Buffer)> ReceiveMessageAsync(ClientWebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        int length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
            length += result.Count;
        }
        while (!result.EndOfMessage);

        return (result.MessageType, length, buffer);
    }
}
