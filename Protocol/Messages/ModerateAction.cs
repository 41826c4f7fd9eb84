using System.Text.Json.Serialization;
using WsAudio.Protocol.Json;

namespace WsAudio.Protocol.Messages;

/// <summary>What an admin does to a participant.</summary>
[JsonConverter(typeof(ModerateActionConverter))]
public enum ModerateAction
{
    /// <summary>Stop forwarding its audio; it cannot unmute itself.</summary>
    Mute,

    /// <summary>Lift a mute.</summary>
    Unmute,

    /// <summary>Close its connection (4003).</summary>
    Remove,
}
