namespace WsAudio.Protocol.Messages;

/// <summary>Which side of the connection a message comes from; each side accepts only the other's types.</summary>
public enum MessageSender
{
    /// <summary>join, leave, mute, moderate, ping.</summary>
    Client,

    /// <summary>joined, left, participant-*, stream-*, pong, error.</summary>
    Server,
}
