namespace WsAudio.Server.Hosting;

/// <summary>
/// How a room tells its members who is there, and what a joiner starts with. Section <c>Presence</c>. Senders are always announced one by one;
/// listeners are while the room is small, and beyond that form the room's audience, which members learn as a count.
/// </summary>
internal sealed class PresenceOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Presence";

    /// <summary>
    /// Listeners a room lists and announces one by one (<c>participant-joined</c>, <c>participant-left</c>, in
    /// <c>joined</c>'s participants). A listener who joins when this many are listed joins the audience: it is
    /// counted, not announced, so a join costs the same in a room of ten thousand as in a room of ten. Every
    /// <c>joined</c> names the listed members, so this also bounds its size: 20 keeps it near 2 KB, and covers the
    /// listeners of a voice room. Default 20. Range 0 (every listener is audience) – 10,000.
    /// </summary>
    public int ListedListeners { get; set; } = 20;

    /// <summary>
    /// How often, at most, a room sends its listed members (senders and listed listeners) the audience count
    /// (<c>audience</c>) when it changed; the latest count always follows the last change within this time.
    /// Default 500 ms. Range 50 ms – 10 s.
    /// </summary>
    public TimeSpan AudienceUpdateInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How often, at most, the audience itself is sent the count when it changed. Every update goes to every audience
    /// member, so at 500 ms a room of 10,000 listeners would spend 20,000 messages a second, two fifths of what its
    /// audio costs, on a number people read now and then; the latest count still follows the last change within
    /// this time. Default 5 s. Range <see cref="AudienceUpdateInterval"/> – 10 min.
    /// </summary>
    public TimeSpan AudienceMemberUpdateInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often, at most, the audience's audio is written to them; zero writes every frame as it comes. With 60 ms,
    /// a listener in the audience gets three or four 20 ms frames per write and the server makes a third to a quarter
    /// of the system calls for them, at the cost of up to that much added delay (one and a half times that for the
    /// last frames before a sender goes quiet). For broadcasts to large audiences (radio, a town hall), whose players
    /// buffer more than that anyway; listed members (senders, the listeners of a voice room) always get each frame at
    /// once. The frames and their order are unchanged. Default 0 (off). Range 0, or 10 ms – 1 s.
    /// </summary>
    public TimeSpan AudienceWriteInterval { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// How much of the room's live audio a WebSocket member that joins to listen gets at once, right after its
    /// <c>joined</c>: the frames of each live stream the server received within this time. A player needs a few frames
    /// before it starts; with them at hand it starts as soon as it has joined, instead of after that many frames
    /// more. 40 ms is two 20 ms frames, the least the browser library's player buffers, so its delay is the same as
    /// without. Frames in a burst are not sent again. Default 40 ms. Range 0 (off) – 1 s.
    /// </summary>
    public TimeSpan JoinBurst { get; set; } = TimeSpan.FromMilliseconds(40);
}
