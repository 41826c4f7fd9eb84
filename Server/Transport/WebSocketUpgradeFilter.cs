using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
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
    private readonly WebSocketEndpoint _endpoint;
    private readonly TimeSpan _headTimeout;
    private readonly int _metricsPort;

    public WebSocketUpgradeFilter(WebSocketEndpoint endpoint, IOptions<NetworkOptions> network)
    {
        _endpoint = endpoint;

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
            $"Sec-WebSocket-Accept: {WebSocketHandshake.AcceptKey(request.Key)}\r\nSec-WebSocket-Protocol: {ProtocolConstants.Subprotocol}\r\n\r\n");
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

        await _endpoint.RunAsync(new PipeReadStream(connection.Transport.Input), new SocketWireWriter(socket), connection.Abort, $"{connection.RemoteEndPoint}");
    }

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
            switch (Examine(buffer, result.IsCompleted, out var request, out var end))
            {
                case Head.Incomplete:
                    input.AdvanceTo(buffer.Start, buffer.End);
                    continue;
                case Head.Taken:
                    input.AdvanceTo(end);
                    return (request, false);
                default:
                    input.AdvanceTo(buffer.Start);
                    return (null, false);
            }
        }
    }

    // The head is looked for where it lies, across the pipe's segments, and copied (if in several) only once complete:
    // a client that sends it a byte at a time costs a scan per byte, not a copy.
    private Head Examine(in ReadOnlySequence<byte> buffer, bool completed, out UpgradeRequest? request, out SequencePosition end)
    {
        request = null;
        end = buffer.Start;
        Span<byte> first = stackalloc byte[8];
        var start = first[..(int)Math.Min(buffer.Length, first.Length)];
        buffer.Slice(0, start.Length).CopyTo(start);
        if (!UpgradeRequest.MayBegin(start))
        {
            return Head.Left;
        }

        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> head, "\r\n\r\n"u8))
        {
            return buffer.Length < UpgradeRequest.MaxHeadBytes && !completed ? Head.Incomplete : Head.Left;
        }

        request = head.Length < UpgradeRequest.MaxHeadBytes ? UpgradeRequest.Parse(head.IsSingleSegment ? head.FirstSpan : head.ToArray()) : null;
        if (request is null || !_endpoint.AdmitsOrigin(request.Origin, "http", request.Host))
        {
            return Head.Left;
        }

        end = reader.Position;
        return Head.Taken;
    }

    private enum Head
    {
        // More bytes may still make it one.
        Incomplete,

        // A complete request to answer here.
        Taken,

        // Not one: for the HTTP server.
        Left,
    }
}
