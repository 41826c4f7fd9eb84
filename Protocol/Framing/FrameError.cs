namespace WsAudio.Protocol.Framing;

/// <summary>Why a binary frame could not be read.</summary>
public enum FrameError
{
    /// <summary>The frame was read.</summary>
    None = 0,

    /// <summary>Shorter than the 24-byte header.</summary>
    Truncated,

    /// <summary>The version byte is not 1.</summary>
    UnsupportedVersion,

    /// <summary>The frame type byte names no known type.</summary>
    UnknownFrameType,

    /// <summary>The codec byte names no known codec.</summary>
    UnknownCodec,
}
