namespace WsAudio.Protocol;

/// <summary>WebSocket close codes the server uses (RFC 6455 §7.4 and the application range 4000–4999).</summary>
public static class CloseCodes
{
    /// <summary>The client left or closed first.</summary>
    public const int Normal = 1000;

    /// <summary>The server is shutting down; reconnect to another node or later.</summary>
    public const int GoingAway = 1001;

    /// <summary>A binary frame broke the framing rules.</summary>
    public const int ProtocolError = 1002;

    /// <summary>A frame of a type or codec the server does not accept.</summary>
    public const int UnsupportedData = 1003;

    /// <summary>A text message that is not valid UTF-8 JSON.</summary>
    public const int InvalidPayload = 1007;

    /// <summary>Something the connection is not allowed to do (audio before join, spoofed stream id, listener sending).</summary>
    public const int PolicyViolation = 1008;

    /// <summary>A message larger than the server's limit.</summary>
    public const int MessageTooBig = 1009;

    /// <summary>An unexpected server fault; reconnecting is safe.</summary>
    public const int InternalError = 1011;

    /// <summary>The connection could not keep up: its queue stayed full, or control messages piled up.</summary>
    public const int SlowConsumer = 4001;

    /// <summary>An admin removed the participant.</summary>
    public const int Removed = 4003;

    /// <summary>The connection did not join in time, or sent nothing for too long.</summary>
    public const int Timeout = 4004;
}
