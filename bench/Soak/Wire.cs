using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using WsAudio.Protocol;

namespace WsAudio.Bench.Soak;

/// <summary>The few protocol steps the soak's clients take.</summary>
internal static class Wire
{
    public static async Task ConnectAsync(ClientWebSocket socket, Uri server)
    {
        socket.Options.AddSubProtocol(ProtocolConstants.Subprotocol);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(server, timeout.Token);
    }

    /// <summary>Sends a join and returns the <c>joined</c> message's JSON.</summary>
    public static async Task<string> JoinAsync(ClientWebSocket socket, string join)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(join), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[1 << 16];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            string text = Encoding.UTF8.GetString(buffer, 0, result.Count);
            if (text.Contains("\"joined\"", StringComparison.Ordinal))
            {
                return text;
            }

            if (result.MessageType == WebSocketMessageType.Close || text.Contains("\"error\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"join refused: {text}");
            }
        }
    }

    public static uint StreamIdOf(string joined) => JsonDocument.Parse(joined).RootElement.GetProperty("streamId").GetUInt32();
}
