using System.Text.Json.Serialization;

namespace WsAudio.Protocol.Messages;

/// <summary>Why a stream went offline.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StreamStopReason>))]
public enum StreamStopReason
{
    /// <summary>The sender set the end-of-stream flag on a frame.</summary>
    [JsonStringEnumMemberName("end-of-stream")]
    EndOfStream,

    /// <summary>No frame arrived for the server's idle time.</summary>
    [JsonStringEnumMemberName("idle")]
    Idle,

    /// <summary>The sender left the room.</summary>
    [JsonStringEnumMemberName("left")]
    Left,

    /// <summary>The sender's connection closed or failed.</summary>
    [JsonStringEnumMemberName("disconnected")]
    Disconnected,
}
