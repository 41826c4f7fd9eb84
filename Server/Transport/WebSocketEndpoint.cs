using Microsoft.Extensions.Options;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Server.Diagnostics;
using WsAudio.Server.Hosting;

namespace WsAudio.Server.Transport;

/// <summary>
/// <c>/ws</c>: checks the handshake, accepts the socket with the <c>wsaudio.v1</c> subprotocol and runs the
/// connection until it ends. A refused handshake gets HTTP 400 with a JSON <c>error</c> body.
/// </summary>
internal sealed class WebSocketEndpoint
{
    private readonly ConnectionRegistry _connections;
    private readonly IMessageHandlerFactory _handlers;
    private readonly RelayOptions _options;
    private readonly RelayMetrics _metrics;
    private readonly LimitsOptions _limits;
    private readonly EmbeddingOptions _embedding;
    private readonly ILogger _logger;

    public WebSocketEndpoint(
        ConnectionRegistry connections,
        IMessageHandlerFactory handlers,
        IOptions<RelayOptions> options,
        IOptions<LimitsOptions> limits,
        IOptions<EmbeddingOptions> embedding,
        RelayMetrics metrics,
        ILogger<WebSocketEndpoint> logger)
    {
        _connections = connections;
        _handlers = handlers;
        _limits = limits.Value;
        _embedding = embedding.Value;
        _metrics = metrics;
        _options = options.Value;
        _logger = logger;
    }

    // Set by the forwarded-headers middleware when it replaced the remote address with a proxy's X-Forwarded-For.
    private const string ForwardedFromHeader = "X-Original-For";

    public async Task HandleAsync(HttpContext context)
    {
        string remote = $"{context.Connection.RemoteIpAddress}:{context.Connection.RemotePort}";
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await RefuseAsync(context, remote, ErrorCodes.WebSocketRequired, $"{ProtocolConstants.Path} accepts only WebSocket handshakes");
            return;
        }

        if (!context.WebSockets.WebSocketRequestedProtocols.Contains(ProtocolConstants.Subprotocol, StringComparer.Ordinal))
        {
            await RefuseAsync(context, remote, ErrorCodes.SubprotocolRequired, $"offer the WebSocket subprotocol '{ProtocolConstants.Subprotocol}'");
            return;
        }

        // Browsers send Origin on every WebSocket handshake; a page from elsewhere must not ride a visitor's network
        // position or cookies into the server (cross-site WebSocket hijacking). Non-browser clients send none.
        string? origin = context.Request.Headers.Origin;
        if (origin is not null && !AdmitsOrigin(origin, context.Request.Scheme, context.Request.Host.Value))
        {
            await RefuseOriginAsync(context, remote, origin);
            return;
        }

        // Direct connections were counted per address when accepted (ConnectionGate); one that came through a known
        // proxy carries its client's address only now, so it is counted here, against the same limit.
        if (!context.Request.Headers.ContainsKey(ForwardedFromHeader))
        {
            await RunAsync(context, remote);
            return;
        }

        var address = context.Connection.RemoteIpAddress ?? System.Net.IPAddress.None;
        if (!_connections.TryReserve(address, _limits.MaxConnectionsPerIp))
        {
            await RefuseAsync(context, remote, ErrorCodes.TooManyConnections, $"at most {_limits.MaxConnectionsPerIp} connections from one address", StatusCodes.Status429TooManyRequests);
            return;
        }

        try
        {
            await RunAsync(context, remote);
        }
        finally
        {
            _connections.ReleaseReservation(address);
        }
    }

    private async Task RunAsync(HttpContext context, string remote)
    {
        var (stream, writer) = await WebSocketHandshake.AcceptAsync(context, ProtocolConstants.Subprotocol);
        await RunAsync(stream, writer, context.Abort, remote);
    }

    /// <summary>Runs an accepted WebSocket until it ends; <paramref name="abortTransport"/> drops its connection at once.</summary>
    public async Task RunAsync(Stream stream, IWireWriter writer, Action abortTransport, string remote)
    {
        using var connection = new Connection(_connections.NextId(), stream, writer, abortTransport, _options, _limits.SlowConsumerTimeout, _metrics, _logger, _handlers.Create);
        Log.ConnectionOpened(_logger, connection.Id, remote);
        _connections.Add(connection);
        _metrics.ConnectionOpened();
        try
        {
            await connection.RunAsync();
        }
        finally
        {
            _metrics.ConnectionClosed();
            _connections.Remove(connection);
        }
    }

    /// <summary>
    /// Whether a handshake from <paramref name="origin"/> (null from clients that are not browsers) may connect to this
    /// server, reached as <paramref name="scheme"/>://<paramref name="host"/>; for every handshake, however it came in.
    /// </summary>
    public bool AdmitsOrigin(string? origin, string scheme, string? host) =>
        origin is null || _embedding.AllowsAnyOrigin || IsOwnOrigin(origin, scheme, host) ||
        _embedding.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase);

    // The server's own pages are served from its own origin: they are allowed whatever the allow-list says.
    private static bool IsOwnOrigin(string origin, string scheme, string? host) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) &&
        string.Equals(uri.Scheme, scheme, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(uri.Authority, host, StringComparison.OrdinalIgnoreCase);

    // A browser shows a refused handshake to its page only as close code 1006, without a reason. The socket is
    // therefore accepted, told why in an 'error', and closed with 1008 at once; it can do nothing in between.
    private async Task RefuseOriginAsync(HttpContext context, string remote, string origin)
    {
        Log.HandshakeRefused(_logger, remote, ErrorCodes.OriginNotAllowed);
        string message = $"pages from {LogText.Clean(origin)} may not connect to this server (its Embedding:AllowedOrigins does not list them)";
        using var socket = await context.WebSockets.AcceptWebSocketAsync(ProtocolConstants.Subprotocol);
        using var timeout = new CancellationTokenSource(_options.CloseTimeout);
        try
        {
            await socket.SendAsync(ControlMessageSerializer.Serialize(new ErrorMessage { Code = ErrorCodes.OriginNotAllowed, Message = message }), System.Net.WebSockets.WebSocketMessageType.Text, true, timeout.Token);
            await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, ErrorCodes.OriginNotAllowed, timeout.Token);
        }
        catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or OperationCanceledException or IOException)
        {
            // The page went away, or did not answer the close in time.
        }
    }

    private async Task RefuseAsync(HttpContext context, string remote, string code, string message, int status = StatusCodes.Status400BadRequest)
    {
        Log.HandshakeRefused(_logger, remote, code);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(ControlMessageSerializer.Serialize(new ErrorMessage { Code = code, Message = message }));
    }
}
