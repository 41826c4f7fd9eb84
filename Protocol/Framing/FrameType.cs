namespace WsAudio.Protocol.Framing;

/// <summary>Byte 1 of a binary frame: what the payload is.</summary>
public enum FrameType : byte
{
    /// <summary>Encoded or raw audio of one stream.</summary>
    Audio = 1,
}
