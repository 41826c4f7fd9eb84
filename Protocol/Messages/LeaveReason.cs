using System.Text.Json.Serialization;

namespace WsAudio.Protocol.Messages;

/// <summary>Why a participant is no longer in the room.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LeaveReason>))]
public enum LeaveReason
{
    /// <summary>It sent <c>leave</c>.</summary>
    [JsonStringEnumMemberName("left")]
    Left,

    /// <summary>Its connection closed or failed.</summary>
    [JsonStringEnumMemberName("disconnected")]
    Disconnected,

    /// <summary>An admin removed it.</summary>
    [JsonStringEnumMemberName("removed")]
    Removed,
}
