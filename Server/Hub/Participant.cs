using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Server.Transport;

namespace WsAudio.Server.Hub;

/// <summary>One member of one room: who it is, what it may do, and where its messages go.</summary>
internal sealed class Participant
{
    /// <summary><see cref="LastFrameTicks"/> while the stream is not live.</summary>
    public const long Offline = long.MinValue;

    // Written on every frame with one Interlocked.Exchange, so the hot path needs no lock to tell a stream's first
    // frame; the idle monitor retires it with a compare-and-swap that loses to any newer frame.
    internal long LastFrameTicks = Offline;

    /// <summary>
    /// The newest of the room's frame ordinals when this receiver joined (0 when the room numbers none): it has the
    /// recent ones up to it from its join burst, and the older ones predate it, so the room's writers skip them all.
    /// Set under the room's lock before it becomes a receiver.
    /// </summary>
    internal long BurstThrough;

    public Participant(string name, ParticipantRole role, AudioFormat format, OutboundQueue outbound, Access.Admission? admission = null, Action<string, int, string>? evict = null)
    {
        Name = name;
        Role = role;
        Format = format;
        Outbound = outbound;
        Admission = admission ?? Access.Admission.Open;
        Evict = evict ?? ((_, _, _) => { });
    }

    /// <summary>What the participant's token allows (everything but moderation in open rooms).</summary>
    public Access.Admission Admission { get; }

    /// <summary>Closes the participant's connection with an error code, close code and message.</summary>
    public Action<string, int, string> Evict { get; }

    /// <summary>Set when an admin muted the participant: only an admin may unmute it. Guarded by the room's lock.</summary>
    public bool MutedByAdmin { get; set; }

    /// <summary>Assigned by the room on join.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>Assigned by the room on join, for roles that send.</summary>
    public uint? StreamId { get; set; }

    public string Name { get; }

    public ParticipantRole Role { get; }

    public AudioFormat Format { get; }

    public OutboundQueue Outbound { get; }

    /// <summary>While true the room forwards none of this participant's frames.</summary>
    public bool Muted { get; set; }

    /// <summary>
    /// Announced one by one and named in <c>joined</c> (senders, and listeners while the room lists them), rather
    /// than counted in the audience. Set by the room on join.
    /// </summary>
    public bool Listed { get; set; }

    /// <summary>Where the room's <see cref="ReceiverList"/> keeps this member; -1 when it is not a receiver there.</summary>
    public int ReceiverSegment { get; set; } = -1;

    /// <summary><see cref="Transport"/> of a WebSocket client.</summary>
    public const string WebSocketTransport = "websocket";

    /// <summary><see cref="Transport"/> of a listener on a radio listen URL.</summary>
    public const string HttpTransport = "http";

    /// <summary><see cref="Transport"/> of a broadcaster pushing with the Icecast source protocol.</summary>
    public const string IcecastTransport = "icecast";

    /// <summary>How this member is connected, for status pages.</summary>
    public string Transport { get; init; } = WebSocketTransport;

    /// <summary>What the sender says about its stream (an Icecast source's headers and title); null for most senders.</summary>
    public StreamMetadata? Metadata { get; set; }

    /// <summary>Since when the stream is live, while it is. Guarded by the room's lock.</summary>
    public DateTimeOffset? LiveSince { get; set; }

    /// <summary>Whether the room last told its members this stream is live. Guarded by the room's lock.</summary>
    public bool AnnouncedLive { get; set; }

    public ParticipantInfo ToInfo() => new()
    {
        Id = Id,
        Name = Name,
        Role = Role,
        Muted = Muted,
        StreamId = StreamId,
    };

    public StreamInfo ToStreamInfo() => new()
    {
        StreamId = StreamId!.Value,
        ParticipantId = Id,
        Format = Format,
    };
}
