using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;
using WsAudio.Protocol;
using WsAudio.Protocol.Framing;

namespace WsAudio.Bench.Soak;

/// <summary>A broadcaster at 50 frames a second and a listener that counts every frame it misses, beside the attack.</summary>
internal sealed class ControlRoom : IAsyncDisposable
{
    private readonly ClientWebSocket _sender = new();
    private readonly ClientWebSocket _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;
    private long _sent;
    private long _received;
    private long _outOfOrder;

    public long Sent => Interlocked.Read(ref _sent);

    public long Received => Interlocked.Read(ref _received);

    public long OutOfOrder => Interlocked.Read(ref _outOfOrder);

    public static async Task<ControlRoom> StartAsync(Uri server)
    {
        var room = new ControlRoom();
        await Wire.ConnectAsync(room._listener, server);
        await Wire.JoinAsync(room._listener, """{"type":"join","room":"control","role":"listener"}""");
        await Wire.ConnectAsync(room._sender, server);
        string joined = await Wire.JoinAsync(room._sender, """{"type":"join","room":"control","role":"broadcaster"}""");
        uint stream = Wire.StreamIdOf(joined);
        room._running = Task.WhenAll(room.SendAsync(stream), room.ListenAsync());
        return room;
    }

    /// <summary>Stops sending, waits for the last frames, and returns how many never arrived.</summary>
    public async Task<long> StopAsync()
    {
        await _stop.CancelAsync();
        await _running;
        return Sent - Received;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _sender.Abort();
        _listener.Abort();
        _sender.Dispose();
        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task SendAsync(uint stream)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        byte[] frame = new byte[ProtocolConstants.HeaderSize + 60];
        uint sequence = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                new AudioFrameHeader(AudioCodec.Opus, FrameFlags.None, stream, sequence, sequence * 960, 0).WriteFrame(frame, new byte[60]);
                await _sender.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None);
                sequence++;
                Interlocked.Increment(ref _sent);
            }
        }
        catch (OperationCanceledException)
        {
        }

        // A ping answered after the last frame: everything sent before it has arrived by then.
        await _listener.SendAsync(Encoding.UTF8.GetBytes("""{"type":"ping","t":-1}"""), WebSocketMessageType.Text, true, CancellationToken.None);
    }

    private async Task ListenAsync()
    {
        var buffer = new byte[1 << 16];
        uint expected = 0;
        while (true)
        {
            var result = await _listener.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            if (result.MessageType == WebSocketMessageType.Binary)
            {
                uint sequence = BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(8));
                if (sequence != expected)
                {
                    Interlocked.Increment(ref _outOfOrder);
                }

                expected = sequence + 1;
                Interlocked.Increment(ref _received);
            }
            else if (Encoding.UTF8.GetString(buffer, 0, result.Count).Contains("\"t\":-1", StringComparison.Ordinal))
            {
                return;
            }
        }
    }
}
