using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Threading.Channels;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;

namespace WsAudio.Tests.Support;

/// <summary>
/// A real <see cref="ClientWebSocket"/> with a receive pump: control messages and audio frames land in channels
/// that tests await with a timeout, and everything is also kept in arrival order for ordering checks.
/// </summary>
internal sealed class TestClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<ControlMessage> _control = Channel.CreateUnbounded<ControlMessage>();
    private readonly Channel<byte[]> _audio = Channel.CreateUnbounded<byte[]>();
    private readonly ConcurrentQueue<object> _arrivals = new();
    private readonly TaskCompletionSource<(WebSocketCloseStatus? Status, string? Description)> _closed =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private TaskCompletionSource _reading = CompletedGate();
    private Task _pump = Task.CompletedTask;
    private long _lastAudioTimestamp;
    private readonly System.Collections.Concurrent.ConcurrentQueue<long> _audioTimestamps = new();

    private TestClient(ClientWebSocket socket)
    {
        _socket = socket;
    }

    /// <summary>Completes when the server closed the connection, with its close code and reason.</summary>
    public Task<(WebSocketCloseStatus? Status, string? Description)> Closed => _closed.Task;

    /// <summary>Everything received so far, in order: <see cref="ControlMessage"/>s and audio <c>byte[]</c>s.</summary>
    public IReadOnlyList<object> Arrivals => _arrivals.ToArray();

    public string? SubProtocol => _socket.SubProtocol;

    /// <summary>
    /// Connects; <paramref name="receiveBufferBytes"/> sets the socket's kernel receive buffer, so that a client that
    /// stops reading pushes back on the server after a few kilobytes instead of megabytes.
    /// </summary>
    public static async Task<TestClient> ConnectAsync(Uri uri, string? subprotocol = ProtocolConstants.Subprotocol, Action<ClientWebSocketOptions>? configure = null, int? receiveBufferBytes = null)
    {
        var socket = new ClientWebSocket();
        if (subprotocol is not null)
        {
            socket.Options.AddSubProtocol(subprotocol);
        }

        configure?.Invoke(socket.Options);

        using var timeout = new CancellationTokenSource(Timeouts.Event);
        if (receiveBufferBytes is { } size)
        {
            // Not disposed: the upgraded connection outlives the handshake that used it.
            var invoker = new HttpMessageInvoker(new SocketsHttpHandler
            {
                ConnectCallback = async (context, cancel) =>
                {
                    var tcp = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { ReceiveBufferSize = size };
                    await tcp.ConnectAsync(context.DnsEndPoint, cancel);
                    return new System.Net.Sockets.NetworkStream(tcp, ownsSocket: true);
                },
            });
            await socket.ConnectAsync(uri, invoker, timeout.Token);
        }
        else
        {
            await socket.ConnectAsync(uri, timeout.Token);
        }
        var client = new TestClient(socket);
        client._pump = Task.Run(client.PumpAsync);
        return client;
    }

    public async Task<JoinedMessage> JoinAsync(string room, ParticipantRole role = ParticipantRole.Speaker, string? name = null, AudioFormat? format = null, string? token = null)
    {
        await SendAsync(new JoinMessage { Room = room, Role = role, Name = name, Format = format, Token = token });
        return await ExpectAsync<JoinedMessage>();
    }

    public Task SendAsync(ControlMessage message) => SendRawAsync(ControlMessageSerializer.Serialize(message), WebSocketMessageType.Text);

    public Task SendTextAsync(string text) => SendRawAsync(System.Text.Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public Task SendBinaryAsync(byte[] frame) => SendRawAsync(frame, WebSocketMessageType.Binary);

    public Task SendRawAsync(byte[] bytes, WebSocketMessageType type) => SendFragmentedAsync(bytes, type, pieces: 1);

    /// <summary>Sends one message as <paramref name="pieces"/> WebSocket frames, the way a client may fragment it.</summary>
    public async Task SendFragmentedAsync(byte[] bytes, WebSocketMessageType type, int pieces)
    {
        await _sendLock.WaitAsync();
        try
        {
            using var timeout = new CancellationTokenSource(Timeouts.Event);

            // An empty message is one empty frame.
            int size = Math.Max(1, (bytes.Length + pieces - 1) / pieces);
            int at = 0;
            do
            {
                int length = Math.Min(size, bytes.Length - at);
                await _socket.SendAsync(bytes.AsMemory(at, length), type, endOfMessage: at + length == bytes.Length, timeout.Token);
                at += length;
            }
            while (at < bytes.Length);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Sends as an attacker would, until the server closes the connection: false once the socket is no longer open,
    /// which can happen before <see cref="Closed"/> completes.
    /// </summary>
    public async Task<bool> TrySendAsync(ControlMessage message) => await TrySendRawAsync(ControlMessageSerializer.Serialize(message), WebSocketMessageType.Text);

    public Task<bool> TrySendBinaryAsync(byte[] frame) => TrySendRawAsync(frame, WebSocketMessageType.Binary);

    private async Task<bool> TrySendRawAsync(byte[] bytes, WebSocketMessageType type)
    {
        try
        {
            await SendRawAsync(bytes, type);
            return true;
        }
        catch (WebSocketException) when (_socket.State != WebSocketState.Open)
        {
            return false;
        }
    }

    /// <summary>The next control message, which must be a <typeparamref name="T"/> (matching <paramref name="where"/>).</summary>
    public async Task<T> NextAsync<T>(Func<T, bool>? where = null)
        where T : ControlMessage
    {
        var message = await ReadAsync(_control.Reader, typeof(T).Name);
        if (message is not T typed || (where is not null && !where(typed)))
        {
            Assert.Fail($"expected {typeof(T).Name} but the next control message was {Describe(message)}");
            throw new InvalidOperationException();
        }

        return typed;
    }

    /// <summary>Skips control messages until one is a <typeparamref name="T"/> matching <paramref name="where"/>.</summary>
    public async Task<T> ExpectAsync<T>(Func<T, bool>? where = null)
        where T : ControlMessage
    {
        while (true)
        {
            var message = await ReadAsync(_control.Reader, typeof(T).Name);
            if (message is T typed && (where is null || where(typed)))
            {
                return typed;
            }

            if (message is ErrorMessage error && typeof(T) != typeof(ErrorMessage))
            {
                Assert.Fail($"expected {typeof(T).Name} but got error {error.Code}: {error.Message}");
            }
        }
    }

    public Task<byte[]> NextAudioAsync() => ReadAsync(_audio.Reader, "audio frame");

    /// <summary>When the last audio frame arrived (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>); 0 before the first.</summary>
    public long LastAudioTimestamp => Interlocked.Read(ref _lastAudioTimestamp);

    /// <summary>When each audio frame arrived (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>), in order.</summary>
    public IReadOnlyList<long> AudioTimestamps => _audioTimestamps.ToArray();

    /// <summary>Audio frames received and not yet taken.</summary>
    public int PendingAudio => _audio.Reader.Count;

    /// <summary>Stops reading the socket, as a stalled listener would; the server's queue for it fills.</summary>
    public void PauseReading() => Interlocked.Exchange(ref _reading, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void ResumeReading() => _reading.TrySetResult();

    public async Task CloseAsync()
    {
        using var timeout = new CancellationTokenSource(Timeouts.Event);
        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
        await Closed.WaitAsync(Timeouts.Event);
    }

    public async ValueTask DisposeAsync()
    {
        _reading.TrySetResult();
        _socket.Abort();
        await _pump;
        _socket.Dispose();
        _sendLock.Dispose();
    }

    private static async Task<T> ReadAsync<T>(ChannelReader<T> reader, string what)
    {
        using var timeout = new CancellationTokenSource(Timeouts.Event);
        try
        {
            return await reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"no {what} within {Timeouts.Event.TotalSeconds} s");
            throw;
        }
        catch (ChannelClosedException)
        {
            Assert.Fail($"the connection closed before a {what} arrived");
            throw;
        }
    }

    private static string Describe(ControlMessage message) => message switch
    {
        ErrorMessage error => $"error {error.Code}: {error.Message}",
        _ => message.Type,
    };

    private static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }

    private async Task PumpAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                await Volatile.Read(ref _reading).Task;
                int length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closed.TrySetResult((_socket.CloseStatus, _socket.CloseStatusDescription));
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }

                    return;
                }

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    var frame = buffer.AsSpan(0, length).ToArray();
                    _arrivals.Enqueue(frame);
                    _audio.Writer.TryWrite(frame);
                    long arrived = System.Diagnostics.Stopwatch.GetTimestamp();
                    Interlocked.Exchange(ref _lastAudioTimestamp, arrived);
                    _audioTimestamps.Enqueue(arrived);
                }
                else
                {
                    var status = ControlMessageSerializer.TryRead(buffer.AsSpan(0, length), MessageSender.Server, out var message, out string detail);
                    if (status != ReadStatus.Ok)
                    {
                        throw new InvalidDataException($"the server sent an unreadable message ({status}): {detail}");
                    }

                    _arrivals.Enqueue(message!);
                    _control.Writer.TryWrite(message!);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _closed.TrySetResult((null, ex.Message));
        }
        finally
        {
            _control.Writer.TryComplete();
            _audio.Writer.TryComplete();
        }
    }
}
