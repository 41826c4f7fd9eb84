namespace WsAudio.Server.Outputs.Recording;

/// <summary>Log lines of recordings (event ids 50–59).</summary>
internal static partial class RecordingLog
{
    [LoggerMessage(50, LogLevel.Information, "Recording {Id} of room {Room} started ({By}) in {Folder}")]
    public static partial void Started(ILogger logger, string id, string room, string by, string folder);

    [LoggerMessage(51, LogLevel.Information, "Recording {Id} of room {Room} stopped: {Files} files, {Bytes} bytes, {Dropped} frames dropped")]
    public static partial void Stopped(ILogger logger, string id, string room, int files, long bytes, long dropped);

    [LoggerMessage(52, LogLevel.Error, "Recording {Id} of room {Room} failed and stopped; the room goes on: {Reason}")]
    public static partial void Failed(ILogger logger, string id, string room, string reason);
}
