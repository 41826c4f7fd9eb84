using System.Text.Json.Serialization;
using WsAudio.Protocol.Json;

namespace WsAudio.Protocol.Messages;

/// <summary>Why a stream went offline.</summary>
[JsonConverter(typeof(StreamStopReasonConverter))]
public enum StreamStopReason
{
    /// <summary>The sender set the end-of-stream flag on a frame.</summary>
    EndOfStream,

    /// <summary>No frame arrived for the server's idle time.</summary>
    Idle,

    /// <summary>The sender left the room.</summary>
    Left,

    /// <summary>The sender's connection closed or failed.</summary>
    Disconnected,
}
