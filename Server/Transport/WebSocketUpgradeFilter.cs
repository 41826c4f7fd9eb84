using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Options;
using WsAudio.Protocol;
using WsAudio.Server.Hosting;

namespace WsAudio.Server.Transport;

/// <summary>
/// Kestrel connection middleware on plain-HTTP endpoints: a connection whose first request is a clean WebSocket
/// upgrade to <c>/ws</c> (<see cref="UpgradeRequest"/>) is answered here and handed to the
/// <see cref="WebSocketEndpoint"/> without the HTTP server's per-request objects, which a connection that stays
/// open for hours would otherwise keep; every other connection goes on to HTTP with nothing consumed.
/// </summary>
/// <remarks>
/// Only acceptances are made here. A handshake the endpoint would refuse (no subprotocol, a foreign page's origin),
/// one through a proxy and anything unusual go the HTTP way and get the answers documented for it.
/// </remarks>
internal sealed class WebSocketUpgradeFilter
{
    // RFC 6455 §1.3.
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private readonly WebSocketEndpoint _endpoint;
    private readonly EmbeddingOptions _embedding;
    private readonly TimeSpan _headTimeout;
    private readonly int _metricsPort;

    public WebSocketUpgradeFilter(WebSocketEndpoint endpoint, IOptions<EmbeddingOptions> embedding, IOptions<NetworkOptions> network)
    {
        _endpoint = endpoint;
        _embedding = embedding.Value;

        // As long as the HTTP server would wait for a request's head.
        _headTimeout = network.Value.RequestHeadersTimeout;
        _metricsPort = network.Value.MetricsPort;
    }

    public async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var socket = connection.Features.Get<IConnectionSocketFeature>()?.Socket;
        if (socket is null || (_metricsPort > 0 && connection.LocalEndPoint is System.Net.IPEndPoint { Port: var port } && port == _metricsPort))
        {
            await next(connection);
            return;
        }

        var (request, timedOut) = await TakeHeadAsync(connection.Transport.Input);
        if (timedOut)
        {
            // No complete request in time: closed, as the HTTP server would.
            return;
        }

        if (request is null)
        {
            await next(connection);
            return;
        }

        byte[] response = Encoding.ASCII.GetBytes(
            "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n" +
            $"Sec-WebSocket-Accept: {AcceptKey(request.Key)}\r\nSec-WebSocket-Protocol: {ProtocolConstants.Subprotocol}\r\n\r\n");
        try
        {
            // The answer goes to the socket itself, as every frame after it will (SocketWireWriter): nothing can pass it.
            if (socket.Send(response) != response.Length)
            {
                return;
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return;
        }

        await _endpoint.RunAsync(connection.Transport.Input.AsStream(), new SocketWireWriter(socket), connection.Abort, $"{connection.RemoteEndPoint}");
    }

    private bool Admits(UpgradeRequest request) =>
        request.Origin is null || _embedding.AllowsAnyOrigin ||
        string.Equals(request.Origin, "http://" + request.Host, StringComparison.OrdinalIgnoreCase) ||
        _embedding.AllowedOrigins.Contains(request.Origin, StringComparer.OrdinalIgnoreCase);

    // Reads until the head is complete, or it is clear that this is not a request to take (then nothing is consumed:
    // the HTTP server reads the same bytes). A request taken is consumed, its blank line included.
    private async Task<(UpgradeRequest? Request, bool TimedOut)> TakeHeadAsync(PipeReader input)
    {
        using var timer = new CancellationTokenSource(_headTimeout);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(timer.Token);
            }
            catch (OperationCanceledException)
            {
                return (null, true);
            }

            var buffer = result.Buffer;
            var start = First(buffer, UpgradeRequest.MaxHeadBytes);
            bool may = UpgradeRequest.MayBegin(start);
            int end = start.IndexOf("\r\n\r\n"u8);
            if (may && end < 0 && start.Length < UpgradeRequest.MaxHeadBytes && !result.IsCompleted)
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            var request = may && end >= 0 ? UpgradeRequest.Parse(start[..end]) : null;
            if (request is not null && Admits(request))
            {
                input.AdvanceTo(buffer.GetPosition(end + 4));
                return (request, false);
            }

            input.AdvanceTo(buffer.Start);
            return (null, false);
        }
    }

    private static ReadOnlySpan<byte> First(ReadOnlySequence<byte> buffer, int limit)
    {
        if (buffer.IsSingleSegment)
        {
            var span = buffer.FirstSpan;
            return span.Length > limit ? span[..limit] : span;
        }

        return buffer.Slice(0, Math.Min(buffer.Length, limit)).ToArray();
    }

    // SHA-1 is what RFC 6455 prescribes for this echo of the client's nonce; it protects nothing.
#pragma warning disable CA5350
    private static string AcceptKey(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
#pragma warning restore CA5350
}
