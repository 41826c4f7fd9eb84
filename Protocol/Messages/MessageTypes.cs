namespace WsAudio.Protocol.Messages;

/// <summary>The <c>type</c> values of control messages.</summary>
public static class MessageTypes
{
    /// <summary>Client → server: enter a room.</summary>
    public const string Join = "join";

    /// <summary>Client → server: leave the room, keep the connection.</summary>
    public const string Leave = "leave";

    /// <summary>Client → server: set the sender's mute state.</summary>
    public const string Mute = "mute";

    /// <summary>Client → server: an admin mutes, unmutes or removes someone.</summary>
    public const string Moderate = "moderate";

    /// <summary>Client → server: an admin starts or stops recording the room.</summary>
    public const string Record = "record";

    /// <summary>Client → server: measure round-trip time.</summary>
    public const string Ping = "ping";

    /// <summary>Server → client: the join succeeded.</summary>
    public const string Joined = "joined";

    /// <summary>Server → client: the leave succeeded.</summary>
    public const string Left = "left";

    /// <summary>Server → room: someone joined.</summary>
    public const string ParticipantJoined = "participant-joined";

    /// <summary>Server → room: someone left or disconnected.</summary>
    public const string ParticipantLeft = "participant-left";

    /// <summary>Server → room: someone's mute state changed.</summary>
    public const string ParticipantMuted = "participant-muted";

    /// <summary>Server → room: a stream sent its first frame (LIVE).</summary>
    public const string StreamStarted = "stream-started";

    /// <summary>Server → room: a stream ended (OFFLINE).</summary>
    public const string StreamStopped = "stream-stopped";

    /// <summary>Server → room: the number of listeners in the audience changed.</summary>
    public const string Audience = "audience";

    /// <summary>Server → room: the room's recording started or stopped.</summary>
    public const string Recording = "recording";

    /// <summary>Server → client: answer to <c>ping</c>.</summary>
    public const string Pong = "pong";

    /// <summary>Server → client: something the client sent was refused.</summary>
    public const string Error = "error";
}
