namespace WsAudio.Server.Radio;

/// <summary>Log lines of the radio endpoints (event ids 40–49).</summary>
internal static partial class RadioLog
{
    [LoggerMessage(40, LogLevel.Information, "HTTP listener joined room {Room} as {ParticipantId}")]
    public static partial void ListenerJoined(ILogger logger, string room, string participantId);

    [LoggerMessage(41, LogLevel.Information, "HTTP listener {ParticipantId} left room {Room}; {Dropped} audio frames dropped for it")]
    public static partial void ListenerLeft(ILogger logger, string room, string participantId, long dropped);
}
