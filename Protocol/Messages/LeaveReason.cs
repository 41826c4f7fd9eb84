using System.Text.Json.Serialization;
using WsAudio.Protocol.Json;

namespace WsAudio.Protocol.Messages;

/// <summary>Why a participant is no longer in the room.</summary>
[JsonConverter(typeof(LeaveReasonConverter))]
public enum LeaveReason
{
    /// <summary>It sent <c>leave</c>.</summary>
    Left,

    /// <summary>Its connection closed or failed.</summary>
    Disconnected,

    /// <summary>An admin removed it.</summary>
    Removed,
}
