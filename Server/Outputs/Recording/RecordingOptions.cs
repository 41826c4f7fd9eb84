namespace WsAudio.Server.Outputs.Recording;

/// <summary>Recording rooms to files. Section <c>Recording</c>.</summary>
internal sealed class RecordingOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Recording";

    /// <summary>
    /// Where recordings are written, created if missing; a relative path is relative to the server's working
    /// directory. Default <c>recordings</c>.
    /// </summary>
    public string Folder { get; set; } = "recordings";

    /// <summary>
    /// Rooms recorded from their first member to their last without anyone asking: each entry is a room name, a
    /// prefix ending in <c>*</c>, or <c>*</c> for every room. Default none: rooms are recorded only when an admin
    /// sends <c>record</c>.
    /// </summary>
    public string[] Rooms { get; set; } = [];

    /// <summary>
    /// Frames waiting to be written per recording; past this (the disk fell behind) frames are left out of the
    /// files and counted in the sidecar's <c>dropped</c>. Default 2,000 (40 s of one stream). Range 100–100,000.
    /// </summary>
    public int QueueFrames { get; set; } = 2000;

    /// <summary>True when <paramref name="room"/> is one of <see cref="Rooms"/>.</summary>
    public bool RecordsAutomatically(string room) => Rooms.Any(pattern =>
        pattern == "*" || (pattern.EndsWith('*') ? room.StartsWith(pattern[..^1], StringComparison.Ordinal) : room == pattern));
}
