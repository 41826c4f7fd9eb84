namespace WsAudio.Protocol.Messages;

/// <summary>Outcome of <see cref="ControlMessageSerializer.TryRead"/>.</summary>
public enum ReadStatus
{
    /// <summary>A known message was read.</summary>
    Ok,

    /// <summary>Not a JSON object (or not valid UTF-8).</summary>
    InvalidJson,

    /// <summary>A JSON object whose <c>type</c> is missing or unknown.</summary>
    UnknownType,

    /// <summary>A known type with a missing or ill-typed field.</summary>
    InvalidMessage,
}
