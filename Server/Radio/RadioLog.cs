namespace WsAudio.Server.Radio;

/// <summary>Log lines of the radio endpoints (event ids 40–49).</summary>
internal static partial class RadioLog
{
    [LoggerMessage(40, LogLevel.Information, "HTTP listener joined room {Room} as {ParticipantId}")]
    public static partial void ListenerJoined(ILogger logger, string room, string participantId);

    [LoggerMessage(41, LogLevel.Information, "HTTP listener {ParticipantId} left room {Room}; {Dropped} audio frames dropped for it")]
    public static partial void ListenerLeft(ILogger logger, string room, string participantId, long dropped);

    [LoggerMessage(42, LogLevel.Warning, "Icecast source from {Remote} refused with {Status} {Code}: {Reason}")]
    public static partial void SourceRefused(ILogger logger, string remote, int status, string code, string reason);

    [LoggerMessage(43, LogLevel.Information, "Icecast source from {Remote} broadcasts in room {Room} as {ParticipantId} ({Channels} channels, name '{Name}')")]
    public static partial void SourceStarted(ILogger logger, string room, string participantId, string remote, int channels, string name);

    [LoggerMessage(44, LogLevel.Information, "Icecast source {ParticipantId} in room {Room} ended: {Reason} ({Bytes} bytes, {Packets} packets)")]
    public static partial void SourceEnded(ILogger logger, string room, string participantId, string reason, long bytes, long packets);
}
