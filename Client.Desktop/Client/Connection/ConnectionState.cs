namespace WsAudio.Client.Connection;

/// <summary>Where a <see cref="RoomClient"/> is in its life.</summary>
public enum ConnectionState
{
    /// <summary>Not started.</summary>
    Idle,

    /// <summary>Opening the socket and joining.</summary>
    Connecting,

    /// <summary>In the room.</summary>
    Connected,

    /// <summary>Lost the connection; waiting to try again.</summary>
    Reconnecting,

    /// <summary>Closed for good: by the caller, a refusal, or a failure that retrying cannot fix.</summary>
    Closed,
}
