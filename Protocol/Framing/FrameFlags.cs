namespace WsAudio.Protocol.Framing;

/// <summary>Byte 3 of a binary frame. Receivers ignore bits they do not know, so later versions can add some.</summary>
[Flags]
public enum FrameFlags : byte
{
    /// <summary>No flag set.</summary>
    None = 0,

    /// <summary>The last frame of the stream; the server announces <c>stream-stopped</c> after forwarding it.</summary>
    EndOfStream = 0x01,
}
