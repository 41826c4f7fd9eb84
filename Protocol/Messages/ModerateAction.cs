using System.Text.Json.Serialization;

namespace WsAudio.Protocol.Messages;

/// <summary>What an admin does to a participant.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModerateAction>))]
public enum ModerateAction
{
    /// <summary>Stop forwarding its audio; it cannot unmute itself.</summary>
    [JsonStringEnumMemberName("mute")]
    Mute,

    /// <summary>Lift a mute.</summary>
    [JsonStringEnumMemberName("unmute")]
    Unmute,

    /// <summary>Close its connection (4003).</summary>
    [JsonStringEnumMemberName("remove")]
    Remove,
}
