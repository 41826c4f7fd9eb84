namespace WsAudio.Protocol;

/// <summary>
/// The stable, machine-readable <c>code</c> values of <c>error</c> messages. docs/protocol.md lists each with the
/// close code (if any) that follows it. Codes never change meaning; new ones may be added.
/// </summary>
public static class ErrorCodes
{
    /// <summary>A plain HTTP request to the WebSocket path (answered with HTTP 400).</summary>
    public const string WebSocketRequired = "websocket-required";

    /// <summary>The handshake did not offer the <c>wsaudio.v1</c> subprotocol (answered with HTTP 400).</summary>
    public const string SubprotocolRequired = "subprotocol-required";

    /// <summary>A binary frame shorter than its header or with an unknown version.</summary>
    public const string MalformedFrame = "malformed-frame";

    /// <summary>A binary frame whose type byte is not known.</summary>
    public const string UnknownFrameType = "unknown-frame-type";

    /// <summary>A frame whose codec is unknown or differs from the format declared in <c>join</c>.</summary>
    public const string UnsupportedCodec = "unsupported-codec";

    /// <summary>A message larger than the server's limit.</summary>
    public const string MessageTooBig = "message-too-big";

    /// <summary>Audio, <c>leave</c> or <c>mute</c> before a successful <c>join</c>.</summary>
    public const string NotJoined = "not-joined";

    /// <summary>An audio frame carrying a stream id that is not the sender's own.</summary>
    public const string StreamIdMismatch = "stream-id-mismatch";

    /// <summary>Audio from a participant whose role does not send (a listener).</summary>
    public const string SendNotAllowed = "send-not-allowed";

    /// <summary>A text message that is not a JSON object.</summary>
    public const string InvalidJson = "invalid-json";

    /// <summary>A JSON message whose <c>type</c> is missing or not one the server accepts.</summary>
    public const string UnknownMessageType = "unknown-message-type";

    /// <summary>A known message with a missing or ill-typed field.</summary>
    public const string InvalidMessage = "invalid-message";

    /// <summary>A room name that breaks the naming rule.</summary>
    public const string InvalidRoom = "invalid-room";

    /// <summary>A display name that is too long or has control characters.</summary>
    public const string InvalidName = "invalid-name";

    /// <summary>An audio format the server does not accept (codec, rate or channel count).</summary>
    public const string InvalidFormat = "invalid-format";

    /// <summary>A second <c>join</c> on a connection that is already in a room.</summary>
    public const string AlreadyJoined = "already-joined";

    /// <summary>The connection fell so far behind that the server gave up on it.</summary>
    public const string SlowConsumer = "slow-consumer";

    /// <summary>The server requires an access token and the join carried none.</summary>
    public const string TokenRequired = "token-required";

    /// <summary>The token is malformed, or not signed with a key the server accepts.</summary>
    public const string TokenInvalid = "token-invalid";

    /// <summary>The token has expired.</summary>
    public const string TokenExpired = "token-expired";

    /// <summary>The token is for another room.</summary>
    public const string TokenWrongRoom = "token-wrong-room";

    /// <summary>The token does not grant what was asked (a role, or moderation).</summary>
    public const string Forbidden = "forbidden";

    /// <summary>An admin muted this participant; only an admin can unmute it.</summary>
    public const string MutedByAdmin = "muted-by-admin";

    /// <summary>The participant named in a moderation request is not in the room.</summary>
    public const string UnknownParticipant = "unknown-participant";

    /// <summary>An admin removed this participant from the room.</summary>
    public const string Removed = "removed";

    /// <summary>A sender went over its frames or bytes per second.</summary>
    public const string RateLimited = "rate-limited";

    /// <summary>Too many open connections from one IP address (answered with HTTP 429, before the request is read when counted at accept).</summary>
    public const string TooManyConnections = "too-many-connections";

    /// <summary>The server has as many open connections as it allows (answered with HTTP 503 before the request is read).</summary>
    public const string ServerBusy = "server-busy";

    /// <summary>The WebSocket handshake came from a web origin the server does not allow (answered with HTTP 403).</summary>
    public const string OriginNotAllowed = "origin-not-allowed";

    /// <summary>The room has as many participants as the server allows.</summary>
    public const string RoomFull = "room-full";

    /// <summary>The server has as many rooms as it allows; joining an existing room still works.</summary>
    public const string TooManyRooms = "too-many-rooms";

    /// <summary>No <c>join</c> came within the server's time after the handshake.</summary>
    public const string JoinTimeout = "join-timeout";

    /// <summary>The connection sent nothing for the server's idle time.</summary>
    public const string IdleTimeout = "idle-timeout";

    /// <summary>An Icecast source's request is malformed, or its body's framing is not one the server reads (HTTP 400).</summary>
    public const string BadRequest = "bad-request";

    /// <summary>An Icecast source sent no credentials, not the user <c>source</c>, or a wrong password (HTTP 401).</summary>
    public const string BadCredentials = "bad-credentials";

    /// <summary>An Icecast source names a path other than <c>/rooms/{room}</c> (HTTP 404).</summary>
    public const string UnknownMount = "unknown-mount";

    /// <summary>The room already has an Icecast source on this server (HTTP 403).</summary>
    public const string SourceInUse = "source-in-use";

    /// <summary>An Icecast source's content type is not Ogg (HTTP 403).</summary>
    public const string UnsupportedContentType = "unsupported-content-type";

    /// <summary>The room's recording could not be written (folder not writable, disk full) and stopped.</summary>
    public const string RecordingFailed = "recording-failed";

    /// <summary><c>record stop</c> for a room that is not being recorded.</summary>
    public const string NotRecording = "not-recording";
}
