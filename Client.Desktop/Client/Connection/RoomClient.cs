using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using WsAudio.Protocol;
using WsAudio.Protocol.Framing;
using WsAudio.Protocol.Messages;

namespace WsAudio.Client.Connection;

/// <summary>
/// One participant in one room over one WebSocket: joins, raises an event for everything the room says, sends
/// audio frames, and after a lost connection reconnects with exponential backoff and joins again.
/// </summary>
/// <remarks>Events are raised on the receive loop, in arrival order; handlers must return quickly.</remarks>
public sealed class RoomClient : IAsyncDisposable
{
    private readonly RoomClientOptions _options;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly ConcurrentDictionary<string, ParticipantInfo> _participants = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<uint, StreamInfo> _liveStreams = new();
    private readonly ConcurrentDictionary<double, TaskCompletionSource<PongMessage>> _pings = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ClientWebSocket? _socket;
    private TaskCompletionSource<JoinedMessage>? _joining;
    private Task _receiving = Task.CompletedTask;
    private uint _sequence;
    private int _urlIndex;
    private long _framesSent;
    private long _framesNotSent;
    private volatile bool _disposing;

    public RoomClient(RoomClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    public event EventHandler<JoinedMessage>? Joined;

    public event EventHandler<ParticipantJoinedMessage>? ParticipantJoined;

    public event EventHandler<ParticipantLeftMessage>? ParticipantLeft;

    public event EventHandler<ParticipantMutedMessage>? ParticipantMuted;

    public event EventHandler<StreamStartedMessage>? StreamStarted;

    public event EventHandler<StreamStoppedMessage>? StreamStopped;

    public event EventHandler<ErrorMessage>? ErrorReceived;

    /// <summary>The room's recording started or stopped.</summary>
    public event EventHandler<RecordingMessage>? RecordingChanged;

    public event EventHandler<ConnectionState>? StateChanged;

    /// <summary>Every audio frame of the room (never this client's own).</summary>
    public event AudioFrameHandler? AudioReceived;

    public ConnectionState State { get; private set; }

    public RoomClientOptions Options => _options;

    /// <summary>This client's id in the room; changes when it rejoins after a reconnect.</summary>
    public string? ParticipantId { get; private set; }

    /// <summary>The stream id this client's frames carry (senders only); changes on rejoin.</summary>
    public uint? StreamId { get; private set; }

    public IReadOnlyDictionary<string, ParticipantInfo> Participants => _participants;

    public IReadOnlyDictionary<uint, StreamInfo> LiveStreams => _liveStreams;

    /// <summary>Frames written to the socket.</summary>
    public long FramesSent => Interlocked.Read(ref _framesSent);

    /// <summary>Frames offered while disconnected and therefore dropped (live audio cannot wait for a reconnect).</summary>
    public long FramesNotSent => Interlocked.Read(ref _framesNotSent);

    /// <summary>Round trip of the last automatic ping, when there has been one.</summary>
    public TimeSpan? LastRoundTrip { get; private set; }

    /// <summary>The node this client is (or was last) connected to.</summary>
    public Uri CurrentUrl => _urlIndex == 0 ? _options.Url : _options.AlternateUrls[_urlIndex - 1];

    /// <summary>How many times the connection was lost and joined again.</summary>
    public int Reconnects { get; private set; }

    /// <summary>Completes when the client is closed for good; faulted with the reason if that was a failure.</summary>
    public Task Completion => _closed.Task;

    /// <summary>Connects and joins. Throws <see cref="RoomClientException"/> when the server refuses or cannot be reached.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        if (State != ConnectionState.Idle)
        {
            throw new InvalidOperationException("ConnectAsync may be called once");
        }

        SetState(ConnectionState.Connecting);
        try
        {
            await ConnectAndJoinAsync(cancellationToken);
            if (_options.PingInterval > TimeSpan.Zero)
            {
                _ = Task.Run(PingLoopAsync, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Close(ex);
            throw ex as RoomClientException ?? new RoomClientException(null, $"could not join {_options.Room} at {_options.Url}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Sends one frame of this client's stream: the header is filled in with the stream id and the next sequence
    /// number. Returns false (and counts the frame) when not connected.
    /// </summary>
    public async ValueTask<bool> SendAudioAsync(ReadOnlyMemory<byte> payload, uint timestamp, long captureTimeMicros, bool endOfStream = false, CancellationToken cancellationToken = default)
    {
        var socket = _socket;
        if (State != ConnectionState.Connected || socket is null || StreamId is not { } stream)
        {
            Interlocked.Increment(ref _framesNotSent);
            return false;
        }

        var header = new AudioFrameHeader(_options.Format.Codec, endOfStream ? FrameFlags.EndOfStream : FrameFlags.None, stream, _sequence++, timestamp, captureTimeMicros);
        byte[] frame = new byte[ProtocolConstants.HeaderSize + payload.Length];
        header.WriteFrame(frame, payload.Span);
        if (!await TrySendAsync(socket, frame, WebSocketMessageType.Binary, cancellationToken))
        {
            Interlocked.Increment(ref _framesNotSent);
            return false;
        }

        Interlocked.Increment(ref _framesSent);
        return true;
    }

    public Task SetMutedAsync(bool muted, CancellationToken cancellationToken = default) =>
        SendControlAsync(new MuteMessage { Muted = muted }, cancellationToken);

    /// <summary>Admins (token grant <c>admin</c>): mute, unmute or remove a participant. Refusals arrive as <see cref="ErrorReceived"/>.</summary>
    public Task ModerateAsync(string participantId, ModerateAction action, CancellationToken cancellationToken = default) =>
        SendControlAsync(new ModerateMessage { Action = action, ParticipantId = participantId }, cancellationToken);

    /// <summary>Admins (token grant <c>admin</c>): start or stop recording the room. The answer is <see cref="RecordingChanged"/>, or a refusal as <see cref="ErrorReceived"/>.</summary>
    public Task RecordAsync(RecordAction action, CancellationToken cancellationToken = default) =>
        SendControlAsync(new RecordMessage { Action = action }, cancellationToken);

    /// <summary>Measures the round trip to the server; also returns what the server reported.</summary>
    public async Task<(TimeSpan RoundTrip, PongMessage Pong)> PingAsync(CancellationToken cancellationToken = default)
    {
        double t = Stopwatch.GetTimestamp() * 1000.0 / Stopwatch.Frequency;
        var answer = new TaskCompletionSource<PongMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pings[t] = answer;
        try
        {
            await SendControlAsync(new PingMessage { T = t }, cancellationToken);
            var pong = await answer.Task.WaitAsync(_options.ConnectTimeout, cancellationToken);
            return (Stopwatch.GetElapsedTime((long)(t * Stopwatch.Frequency / 1000.0)), pong);
        }
        finally
        {
            _pings.TryRemove(t, out _);
        }
    }

    /// <summary>Leaves the room (others see reason <c>left</c>, not <c>disconnected</c>) and closes the connection normally.</summary>
    public async ValueTask DisposeAsync()
    {
        if (State == ConnectionState.Closed)
        {
            return;
        }

        // Leave and close before cancelling: cancelling the pending receive aborts the socket, and nothing more
        // would go out. Meanwhile the receive loop must not take the close for a lost connection.
        _disposing = true;
        var socket = _socket;
        if (socket is { State: WebSocketState.Open })
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                if (State == ConnectionState.Connected)
                {
                    await TrySendAsync(socket, ControlMessageSerializer.Serialize(new LeaveMessage()), WebSocketMessageType.Text, timeout.Token);
                }

                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Closing anyway.
            }
        }

        await _lifetime.CancelAsync();

        socket?.Abort();
        await _receiving.ContinueWith(_ => { }, TaskScheduler.Default);
        Close(null);
        socket?.Dispose();
        _sendLock.Dispose();
        _lifetime.Dispose();
    }

    private async Task PingLoopAsync()
    {
        using var timer = new PeriodicTimer(_options.PingInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_lifetime.Token))
            {
                if (State == ConnectionState.Connected)
                {
                    try
                    {
                        LastRoundTrip = (await PingAsync(_lifetime.Token)).RoundTrip;
                    }
                    catch (Exception ex) when (ex is RoomClientException or TimeoutException or InvalidOperationException)
                    {
                        // A lost connection is the receive loop's to handle.
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ConnectAndJoinAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        timeout.CancelAfter(_options.ConnectTimeout);
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(ProtocolConstants.Subprotocol);
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(15);
        try
        {
            await socket.ConnectAsync(CurrentUrl, timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var joining = new TaskCompletionSource<JoinedMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _joining = joining;
        _socket = socket;
        _participants.Clear();
        _liveStreams.Clear();
        _receiving = Task.Run(() => ReceiveLoopAsync(socket), CancellationToken.None);
        await TrySendAsync(socket, ControlMessageSerializer.Serialize(new JoinMessage
        {
            Room = _options.Room,
            Role = _options.Role,
            Name = _options.Name,
            Token = _options.Token,
            Format = _options.Role.CanSend() || _options.Role == ParticipantRole.Tap ? _options.Format : null,
            Mode = _options.Role == ParticipantRole.Tap ? _options.TapMode : null,
        }), WebSocketMessageType.Text, timeout.Token);

        var joined = await joining.Task.WaitAsync(timeout.Token);
        ParticipantId = joined.ParticipantId;
        StreamId = joined.StreamId;
        SetState(ConnectionState.Connected);
        Joined?.Invoke(this, joined);
    }

    private async Task ReceiveLoopAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        Exception? failure = null;
        try
        {
            while (true)
            {
                int length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    result = await socket.ReceiveAsync(buffer.AsMemory(length), _lifetime.Token);
                    length += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    OnAudio(buffer.AsSpan(0, length));
                }
                else
                {
                    OnControl(buffer.AsSpan(0, length));
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            failure = ex;
        }

        if (_lifetime.IsCancellationRequested || _disposing)
        {
            return;
        }

        var status = socket.CloseStatus;
        string reason = status is null ? failure?.Message ?? "connection lost" : $"closed with {(int)status} {socket.CloseStatusDescription}";
        _joining?.TrySetException(new RoomClientException(socket.CloseStatusDescription, reason));
        if (State == ConnectionState.Connected && _options.Reconnect && IsWorthRetrying(status))
        {
            _ = Task.Run(ReconnectLoopAsync, CancellationToken.None);
        }
        else if (State != ConnectionState.Connecting)
        {
            Close(status is WebSocketCloseStatus.NormalClosure ? null : new RoomClientException(socket.CloseStatusDescription, reason));
        }
    }

    private async Task ReconnectLoopAsync()
    {
        SetState(ConnectionState.Reconnecting);
        foreach (var stream in _liveStreams.Values)
        {
            StreamStopped?.Invoke(this, new StreamStoppedMessage { StreamId = stream.StreamId, ParticipantId = stream.ParticipantId, Reason = StreamStopReason.Disconnected });
        }

        var delay = _options.ReconnectDelay;
        var since = System.Diagnostics.Stopwatch.StartNew();
        int failed = 0;
        while (!_lifetime.IsCancellationRequested)
        {
            if ((_options.MaxReconnectAttempts > 0 && failed >= _options.MaxReconnectAttempts) ||
                (_options.ReconnectTimeout > TimeSpan.Zero && since.Elapsed >= _options.ReconnectTimeout))
            {
                Close(new RoomClientException($"the server went away: gave up after {failed} reconnect attempts in {since.Elapsed.TotalSeconds:F0} s"));
                return;
            }

            try
            {
                // ±20% jitter keeps many clients of one failed server from returning in lockstep.
                await Task.Delay(delay * (0.8 + (Random.Shared.NextDouble() * 0.4)), _lifetime.Token);
                _socket?.Dispose();

                // The node that failed is the likeliest to fail again: move on to the next one in the list.
                _urlIndex = (_urlIndex + 1) % (_options.AlternateUrls.Count + 1);
                await ConnectAndJoinAsync(_lifetime.Token);
                Reconnects++;
                return;
            }
            catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
            {
                return;
            }
            catch (RoomClientException ex) when (ex.ErrorCode is not null)
            {
                Close(ex);
                return;
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or RoomClientException or HttpRequestException)
            {
                failed++;
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
            }
        }
    }

    private void OnAudio(ReadOnlySpan<byte> frame)
    {
        if (AudioFrameHeader.TryRead(frame, out var header) == FrameError.None)
        {
            AudioReceived?.Invoke(header, frame[ProtocolConstants.HeaderSize..]);
        }
    }

    private void OnControl(ReadOnlySpan<byte> json)
    {
        if (ControlMessageSerializer.TryRead(json, MessageSender.Server, out var message, out _) != ReadStatus.Ok)
        {
            return;
        }

        switch (message)
        {
            case JoinedMessage joined:
                foreach (var participant in joined.Participants)
                {
                    _participants[participant.Id] = participant;
                }

                foreach (var stream in joined.Streams)
                {
                    _liveStreams[stream.StreamId] = stream;
                }

                _joining?.TrySetResult(joined);
                break;
            case ParticipantJoinedMessage m:
                _participants[m.Participant.Id] = m.Participant;
                ParticipantJoined?.Invoke(this, m);
                break;
            case ParticipantLeftMessage m:
                _participants.TryRemove(m.ParticipantId, out _);
                ParticipantLeft?.Invoke(this, m);
                break;
            case ParticipantMutedMessage m:
                ParticipantMuted?.Invoke(this, m);
                break;
            case StreamStartedMessage m:
                _liveStreams[m.StreamId] = new StreamInfo { StreamId = m.StreamId, ParticipantId = m.ParticipantId, Format = m.Format };
                StreamStarted?.Invoke(this, m);
                break;
            case StreamStoppedMessage m:
                _liveStreams.TryRemove(m.StreamId, out _);
                StreamStopped?.Invoke(this, m);
                break;
            case RecordingMessage m:
                RecordingChanged?.Invoke(this, m);
                break;
            case PongMessage m:
                if (_pings.TryGetValue(m.T, out var waiting))
                {
                    waiting.TrySetResult(m);
                }

                break;
            case ErrorMessage m:
                if (State == ConnectionState.Connecting || _joining?.Task.IsCompleted == false)
                {
                    _joining?.TrySetException(new RoomClientException(m.Code, m.Message));
                }

                ErrorReceived?.Invoke(this, m);
                break;
        }
    }

    private async Task SendControlAsync(ControlMessage message, CancellationToken cancellationToken)
    {
        var socket = _socket ?? throw new InvalidOperationException("not connected");
        if (!await TrySendAsync(socket, ControlMessageSerializer.Serialize(message), WebSocketMessageType.Text, cancellationToken))
        {
            throw new RoomClientException(null, "not connected");
        }
    }

    private async Task<bool> TrySendAsync(ClientWebSocket socket, byte[] bytes, WebSocketMessageType type, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(bytes, type, endOfMessage: true, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A socket aborted under a pending send (the server died) cancels the send: the connection is lost, and
            // the receive loop reconnects; the caller did not ask for a cancellation and must not see one.
            return false;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    // Codes that mean this client did something wrong: retrying would only repeat it.
    private static bool IsWorthRetrying(WebSocketCloseStatus? status) => status is null
        or WebSocketCloseStatus.EndpointUnavailable
        or WebSocketCloseStatus.InternalServerError
        or (WebSocketCloseStatus)CloseCodes.SlowConsumer;

    private void SetState(ConnectionState state)
    {
        State = state;
        StateChanged?.Invoke(this, state);
    }

    private void Close(Exception? failure)
    {
        if (State == ConnectionState.Closed)
        {
            return;
        }

        SetState(ConnectionState.Closed);
        if (failure is null)
        {
            _closed.TrySetResult();
        }
        else
        {
            _closed.TrySetException(failure);
        }
    }
}
