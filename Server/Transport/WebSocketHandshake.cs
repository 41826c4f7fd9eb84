using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace WsAudio.Server.Transport;

/// <summary>
/// Completes a WebSocket handshake that <c>HttpContext.WebSockets.IsWebSocketRequest</c> accepted, and hands back
/// the raw stream and where to write frames. Done here rather than by the WebSockets middleware, which hides the
/// stream, so that every byte the server sends passes through one ordered writer (see <see cref="WireStream"/>).
/// </summary>
internal static class WebSocketHandshake
{
    // RFC 6455 §1.3.
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>Answers the handshake with <paramref name="subprotocol"/>; returns the connection's stream and writer.</summary>
    public static async Task<(Stream Stream, IWireWriter Writer)> AcceptAsync(HttpContext context, string subprotocol)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (upgrade is { IsUpgradableRequest: true })
        {
            var headers = context.Response.Headers;
            headers.Connection = HeaderNames.Upgrade;
            headers.Upgrade = "websocket";
            headers.SecWebSocketAccept = AcceptKey(context.Request.Headers.SecWebSocketKey.ToString());
            headers.SecWebSocketProtocol = subprotocol;
            var stream = await upgrade.UpgradeAsync();

            // Over plain TCP the frames may go straight to the socket; over TLS the stream must encrypt them.
            var socket = context.Request.IsHttps ? null : context.Features.Get<IConnectionSocketFeature>()?.Socket;
            return (stream, socket is null ? new StreamWireWriter(stream) : new SocketWireWriter(socket));
        }

        // HTTP/2 (RFC 8441): an extended CONNECT, answered 200.
        var connect = context.Features.Get<IHttpExtendedConnectFeature>()
            ?? throw new InvalidOperationException("a WebSocket request that is neither an HTTP/1.1 upgrade nor an extended CONNECT");
        context.Response.Headers.SecWebSocketProtocol = subprotocol;
        var tunnel = await connect.AcceptAsync();
        return (tunnel, new StreamWireWriter(tunnel));
    }

    /// <summary>Sec-WebSocket-Accept for the client's Sec-WebSocket-Key.</summary>
    // SHA-1 is what RFC 6455 prescribes for this echo of the client's nonce; it protects nothing.
#pragma warning disable CA5350
    public static string AcceptKey(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
#pragma warning restore CA5350
}
