using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Server.Access;
using WsAudio.Server.Diagnostics;
using WsAudio.Server.Hosting;
using WsAudio.Server.Hub;

namespace WsAudio.Server.Radio.Sources;

/// <summary>
/// An Icecast source on a raw connection: <c>PUT /rooms/{room}</c> (or the older <c>SOURCE</c>) with Basic
/// credentials and an Ogg Opus body that lasts as long as the broadcast. Answers as Icecast does (401, 403, then
/// <c>100 Continue</c> or <c>200 OK</c>), then plays the stream into the room as a broadcaster.
/// </summary>
/// <remarks>
/// The connection is taken before Kestrel's HTTP layer, which would read a body sent with neither a length nor
/// chunks (what ffmpeg and other source tools send) as empty.
/// </remarks>
internal sealed class IcecastSourceHandler
{
    private const int MaxHead = 8 * 1024;
    private const string SourceUser = "source";

    // Rooms with a source on this node: a second one is refused, as Icecast refuses a second source on a mount.
    private readonly ConcurrentDictionary<string, byte> _rooms = new(StringComparer.Ordinal);
    private readonly RoomRegistry _registry;
    private readonly TokenValidator _tokens;
    private readonly RadioOptions _radio;
    private readonly RelayOptions _relay;
    private readonly NetworkOptions _network;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly RadioMetrics _metrics;
    private readonly ILogger _logger;

    public IcecastSourceHandler(
        RoomRegistry registry,
        TokenValidator tokens,
        IOptions<RadioOptions> radio,
        IOptions<RelayOptions> relay,
        IOptions<NetworkOptions> network,
        IHostApplicationLifetime lifetime,
        RadioMetrics metrics,
        ILogger<IcecastSourceHandler> logger)
    {
        _metrics = metrics;
        _registry = registry;
        _tokens = tokens;
        _radio = radio.Value;
        _relay = relay.Value;
        _network = network.Value;
        _lifetime = lifetime;
        _logger = logger;
    }

    public async Task HandleAsync(ConnectionContext connection)
    {
        // Not ended by ConnectionClosed: that fires when the source closes its side, while the end of its audio
        // may still wait in the input to be played; the input's own end says when it is all read.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.ApplicationStopping);
        string remote = connection.RemoteEndPoint?.ToString() ?? "unknown";
        var output = connection.Transport.Output;
        SourceRequest? request;
        try
        {
            request = await ReadHeadAsync(connection.Transport.Input, stop.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (request is null)
        {
            await RefuseAsync(output, remote, HttpStatusCode.BadRequest, ErrorCodes.BadRequest, "the request's head is malformed, incomplete or larger than 8 KiB");
            return;
        }

        var (admission, status, code, reason) = Admit(request);
        if (admission is null)
        {
            await RefuseAsync(output, remote, status, code!, reason!);
            return;
        }

        string room = request.Room!;
        var body = SourceBody.For(request, connection.Transport.Input.AsStream(leaveOpen: true), out string? framing);
        if (body is null)
        {
            await RefuseAsync(output, remote, HttpStatusCode.BadRequest, ErrorCodes.BadRequest, framing!);
            return;
        }

        if (!_rooms.TryAdd(room, 0))
        {
            await RefuseAsync(output, remote, HttpStatusCode.Forbidden, ErrorCodes.SourceInUse, $"room '{room}' already has a source");
            return;
        }

        try
        {
            // Icecast answers a source that expects 100-continue with that alone, and any other with 200 at once.
            bool expects = request.Header("Expect")?.Contains("100-continue", StringComparison.OrdinalIgnoreCase) == true;
            await WriteAsync(output, expects ? "HTTP/1.1 100 Continue\r\n\r\n" : $"{(request.Version == "HTTP/1.1" ? "HTTP/1.1" : "HTTP/1.0")} 200 OK\r\n\r\n", stop.Token);
            var source = new IcecastSource(_registry, room, admission, Metadata(request), _radio.SourceTimeout, _relay, _logger);
            _metrics.SourceStarted();
            bool clean;
            try
            {
                clean = await source.RunAsync(body, remote, stop.Token);
            }
            finally
            {
                _metrics.SourceEnded();
            }

            if (clean && expects)
            {
                // HTTP clients (curl) wait for the answer that ends the request; source tools have closed already.
                await WriteAsync(output, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ConnectionResetException)
        {
            // The source went away while its answer was written.
        }
        finally
        {
            _rooms.TryRemove(room, out _);
        }
    }

    // What lets this request broadcast, or the status, code and reason of its refusal.
    private (Admission? Admission, HttpStatusCode Status, string? Code, string? Reason) Admit(SourceRequest request)
    {
        if (request.Method is not ("PUT" or "SOURCE") || request.Room is not { } room)
        {
            return (null, HttpStatusCode.NotFound, ErrorCodes.UnknownMount, $"sources broadcast to /rooms/{{room}}, not {Clip(request.Path)}");
        }

        if (!RoomName.IsValid(room))
        {
            return (null, HttpStatusCode.BadRequest, ErrorCodes.InvalidRoom, "room names are 1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit");
        }

        string type = request.Header("Content-Type")?.Split(';')[0].Trim() ?? "none";
        if (!type.Equals("audio/ogg", StringComparison.OrdinalIgnoreCase) && !type.Equals("application/ogg", StringComparison.OrdinalIgnoreCase))
        {
            return (null, HttpStatusCode.Forbidden, ErrorCodes.UnsupportedContentType,
                $"content type {Clip(type)} is not supported; send Ogg Opus as audio/ogg (ffmpeg: -content_type audio/ogg)");
        }

        if (!TryReadBasic(request.Header("Authorization"), out string user, out string password) || user != SourceUser)
        {
            return (null, HttpStatusCode.Unauthorized, ErrorCodes.BadCredentials, "sources authenticate with HTTP Basic as the user 'source'");
        }

        if (_radio.SourcePassword.Length > 0 && CryptographicEquals(password, _radio.SourcePassword))
        {
            return (Admission.Open, default, null, null);
        }

        if (!_tokens.Enabled)
        {
            return _radio.SourcePassword.Length > 0
                ? (null, HttpStatusCode.Unauthorized, ErrorCodes.BadCredentials, "wrong source password")
                : (Admission.Open, default, null, null);
        }

        var (admission, error, reason) = _tokens.Admit(password, room);
        if (admission is null)
        {
            return (null, HttpStatusCode.Unauthorized, error!, $"the password is not the source password nor a valid token: {reason}");
        }

        return admission.Has(Grants.Publish)
            ? (admission, default, null, null)
            : (null, HttpStatusCode.Forbidden, ErrorCodes.Forbidden, "broadcasting needs the grant publish, which the token does not give");
    }

    private async Task<SourceRequest?> ReadHeadAsync(PipeReader input, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(_network.RequestHeadersTimeout);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                return null;
            }

            var buffer = result.Buffer;
            var reader = new SequenceReader<byte>(buffer);
            if (reader.TryReadTo(out ReadOnlySequence<byte> head, "\r\n\r\n"u8, advancePastDelimiter: true) && head.Length <= MaxHead)
            {
                var request = SourceRequest.Parse(head.ToArray());
                input.AdvanceTo(reader.Position);
                return request;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted || buffer.Length > MaxHead)
            {
                return null;
            }
        }
    }

    private async Task RefuseAsync(PipeWriter output, string remote, HttpStatusCode status, string code, string reason)
    {
        RadioLog.SourceRefused(_logger, remote, (int)status, code, LogText.Clean(reason));
        byte[] body = ControlMessageSerializer.Serialize(new ErrorMessage { Code = code, Message = reason });
        var head = new StringBuilder()
            .Append(FormattableString.Invariant($"HTTP/1.1 {(int)status} {ReasonPhrase(status)}\r\n"))
            .Append("Content-Type: application/json\r\n")
            .Append(FormattableString.Invariant($"Content-Length: {body.Length}\r\n"))
            .Append(status == HttpStatusCode.Unauthorized ? "WWW-Authenticate: Basic realm=\"WsAudio\"\r\n" : string.Empty)
            .Append("Connection: close\r\n\r\n");
        try
        {
            await WriteAsync(output, head.ToString(), CancellationToken.None);
            await output.WriteAsync(body);
        }
        catch (Exception ex) when (ex is IOException or ConnectionResetException or InvalidOperationException)
        {
            // The source left before its answer.
        }
    }

    private static async Task WriteAsync(PipeWriter output, string text, CancellationToken cancellation) =>
        await output.WriteAsync(Encoding.ASCII.GetBytes(text), cancellation);

    private static StreamMetadata Metadata(SourceRequest request) => new(
        Name: request.Header("ice-name") ?? request.Header("icy-name"),
        Description: request.Header("ice-description") ?? request.Header("icy-description"),
        Genre: request.Header("ice-genre") ?? request.Header("icy-genre"),
        Url: request.Header("ice-url") ?? request.Header("icy-url"),
        Title: null);

    private static bool TryReadBasic(string? authorization, out string user, out string password)
    {
        (user, password) = (string.Empty, string.Empty);
        if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var bytes = new byte[authorization.Length];
        if (!Convert.TryFromBase64String(authorization[6..].Trim(), bytes, out int length))
        {
            return false;
        }

        string pair = Encoding.UTF8.GetString(bytes, 0, length);
        int colon = pair.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        (user, password) = (pair[..colon], pair[(colon + 1)..]);
        return true;
    }

    private static bool CryptographicEquals(string a, string b) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private static string Clip(string text) => text.Length <= 64 ? $"'{text}'" : $"'{text[..64]}…'";

    private static string ReasonPhrase(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => "Bad Request",
        HttpStatusCode.Unauthorized => "Unauthorized",
        HttpStatusCode.Forbidden => "Forbidden",
        HttpStatusCode.NotFound => "Not Found",
        _ => status.ToString(),
    };
}
