using System.Diagnostics;
using System.Net.WebSockets;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;

namespace WsAudio.Cli.Bot;

/// <summary>
/// A listener that joins a room already live, as a late joiner would, and times its join: from sending
/// <c>join</c> (or, in the plain shape, from opening the connection) to its first audio frame.
/// </summary>
internal static class LateJoinProbe
{
    /// <summary>Milliseconds from join to first audio, or null when no frame came within <paramref name="timeout"/>.</summary>
    public static async Task<double?> MeasureAsync(Uri url, string room, bool plain, string? token, TimeSpan timeout)
    {
        using var socket = new ClientWebSocket();
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            Stopwatch clock;
            if (plain)
            {
                clock = Stopwatch.StartNew();
                await socket.ConnectAsync(new UriBuilder(url) { Query = $"room={Uri.EscapeDataString(room)}&role=listener" }.Uri, limit.Token);
            }
            else
            {
                socket.Options.AddSubProtocol(ProtocolConstants.Subprotocol);
                await socket.ConnectAsync(url, limit.Token);
                clock = Stopwatch.StartNew();
                var join = new JoinMessage { Room = room, Role = ParticipantRole.Listener, Name = "bot-late", Token = token };
                await socket.SendAsync(ControlMessageSerializer.Serialize(join), WebSocketMessageType.Text, true, limit.Token);
            }

            var buffer = new byte[64 * 1024];
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), limit.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    double ms = clock.Elapsed.TotalMilliseconds;
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", limit.Token);
                    return ms;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or HttpRequestException)
        {
            return null;
        }
    }
}
