namespace WsAudio.Server.Diagnostics;

/// <summary>Every log line the server writes, with stable event ids for filtering.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "WsAudio listening on {Urls}; queue depth {QueueDepth}, stream idle {IdleTimeout}, max message {MaxMessageBytes} bytes")]
    public static partial void Started(ILogger logger, string urls, int queueDepth, TimeSpan idleTimeout, int maxMessageBytes);

    [LoggerMessage(2, LogLevel.Debug, "Connection {ConnectionId} opened from {Remote}")]
    public static partial void ConnectionOpened(ILogger logger, long connectionId, string remote);

    [LoggerMessage(3, LogLevel.Debug, "Connection {ConnectionId} closed ({CloseStatus}); {Dropped} audio frames dropped for it")]
    public static partial void ConnectionClosed(ILogger logger, long connectionId, string closeStatus, long dropped);

    [LoggerMessage(54, LogLevel.Debug, "Connection {ConnectionId} sent nothing for {Seconds} s after a keep-alive ping, not even the pong: aborted as a dead peer")]
    public static partial void KeepAliveTimedOut(ILogger logger, long connectionId, double seconds);

    [LoggerMessage(4, LogLevel.Information, "Handshake from {Remote} refused: {Code}")]
    public static partial void HandshakeRefused(ILogger logger, string remote, string code);

    [LoggerMessage(5, LogLevel.Information, "Connection {ConnectionId} joined room {Room} as {ParticipantId} ({Role})")]
    public static partial void Joined(ILogger logger, long connectionId, string room, string participantId, string role);

    [LoggerMessage(6, LogLevel.Information, "Connection {ConnectionId} left room {Room} ({Reason})")]
    public static partial void Left(ILogger logger, long connectionId, string room, string reason);

    [LoggerMessage(7, LogLevel.Warning, "Connection {ConnectionId} closed for {Code} ({CloseCode}): {Detail}")]
    public static partial void ProtocolViolation(ILogger logger, long connectionId, string code, int closeCode, string detail);

    [LoggerMessage(8, LogLevel.Information, "Connection {ConnectionId} refused a message: {Code}: {Detail}")]
    public static partial void MessageRefused(ILogger logger, long connectionId, string code, string detail);

    [LoggerMessage(9, LogLevel.Warning, "Connection {ConnectionId} closed as slow: its queue stayed full, or too many control messages waited")]
    public static partial void SlowConsumer(ILogger logger, long connectionId);

    [LoggerMessage(10, LogLevel.Error, "Connection {ConnectionId} failed unexpectedly")]
    public static partial void ConnectionFailed(ILogger logger, long connectionId, Exception exception);

    [LoggerMessage(53, LogLevel.Error, "Handing room {Room}'s audio to one of its receivers failed; the others still get it")]
    public static partial void ReceiverWriteFailed(ILogger logger, string room, Exception exception);

    [LoggerMessage(11, LogLevel.Information, "Shutting down: closing {Count} connections with 1001")]
    public static partial void ShuttingDown(ILogger logger, int count);

    [LoggerMessage(13, LogLevel.Warning, "Refused a connection from {Remote}: {Code} (limit {Limit}); {Held} more refused since the last such line")]
    public static partial void ConnectionRefused(ILogger logger, string remote, string code, int limit, long held);

    [LoggerMessage(12, LogLevel.Warning, "Rooms are open: no Access:TokenKey is configured, so anyone who reaches this server can join any room. Set one before exposing the server (docs/security.md).")]
    public static partial void RoomsOpen(ILogger logger);
}
