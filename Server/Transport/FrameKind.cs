namespace WsAudio.Server.Transport;

/// <summary>What an outgoing <see cref="SharedFrame"/> carries, which decides whether it may be dropped.</summary>
internal enum FrameKind
{
    /// <summary>A binary audio frame: the oldest is dropped when a receiver falls behind.</summary>
    Audio,

    /// <summary>A JSON control message: never dropped.</summary>
    Text,

    /// <summary>A ping, pong or close of the WebSocket protocol itself: never dropped.</summary>
    Protocol,
}
