using System.Diagnostics;
using System.Net.WebSockets;
using WsAudio.Protocol;
using WsAudio.Protocol.Framing;
using WsAudio.Protocol.Messages;

namespace WsAudio.Cli.Bot;

/// <summary>
/// A listener that joins a room already live, as a late joiner would, and times its join: from sending
/// <c>join</c> (or, in the plain shape, from opening the connection) to its first audio frame, and to its first frame
/// captured after the join: a server that starts joiners with a burst of recent frames gives the first at once, and
/// the second is when live audio reaches them.
/// </summary>
internal static class LateJoinProbe
{
    /// <summary>
    /// Milliseconds from join to first audio and to first live audio; null when no frame came within
    /// <paramref name="timeout"/> (the second also when none captured after the join did).
    /// </summary>
    public static async Task<(double? First, double? Live)> MeasureAsync(Uri url, string room, bool plain, string? token, TimeSpan timeout)
    {
        using var socket = new ClientWebSocket();
        using var limit = new CancellationTokenSource(timeout);
        double? first = null;
        try
        {
            // The speakers stamp their frames with the same wall clock (one machine).
            long joinMicros;
            Stopwatch clock;
            if (plain)
            {
                clock = Stopwatch.StartNew();
                joinMicros = CaptureClock.NowMicros();
                await socket.ConnectAsync(new UriBuilder(url) { Query = $"room={Uri.EscapeDataString(room)}&role=listener" }.Uri, limit.Token);
            }
            else
            {
                socket.Options.AddSubProtocol(ProtocolConstants.Subprotocol);
                await socket.ConnectAsync(url, limit.Token);
                clock = Stopwatch.StartNew();
                joinMicros = CaptureClock.NowMicros();
                var join = new JoinMessage { Room = room, Role = ParticipantRole.Listener, Name = "bot-late", Token = token };
                await socket.SendAsync(ControlMessageSerializer.Serialize(join), WebSocketMessageType.Text, true, limit.Token);
            }

            var buffer = new byte[64 * 1024];
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), limit.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return (first, null);
                }

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    double ms = clock.Elapsed.TotalMilliseconds;
                    first ??= ms;
                    if (CaptureMicros(buffer.AsSpan(0, result.Count), plain) is { } capture && capture >= joinMicros)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", limit.Token);
                        return (first, ms);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or HttpRequestException)
        {
            return (first, null);
        }
    }

    private static long? CaptureMicros(ReadOnlySpan<byte> frame, bool plain)
    {
        if (plain)
        {
            return PlainFrame.TryRead(frame, out long micros, out _, out _) ? micros : null;
        }

        return AudioFrameHeader.TryRead(frame, out var header) == FrameError.None && header.CaptureTimeMicros != 0 ? header.CaptureTimeMicros : null;
    }
}
