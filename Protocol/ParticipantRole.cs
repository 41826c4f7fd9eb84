using System.Text.Json.Serialization;
using WsAudio.Protocol.Json;

namespace WsAudio.Protocol;

/// <summary>What a participant may do in a room. A sender never receives its own audio.</summary>
[JsonConverter(typeof(RoleConverter))]
public enum ParticipantRole
{
    /// <summary>Sends audio and hears every other sender (voice chat).</summary>
    Speaker,

    /// <summary>Hears every sender, sends nothing (an audience).</summary>
    Listener,

    /// <summary>Sends audio, hears nothing (a radio-style source).</summary>
    Broadcaster,

    /// <summary>
    /// Receives the room's speech decoded to PCM (per speaker or mixed) for speech recognition; sends nothing and is
    /// not shown to the other members.
    /// </summary>
    Tap,
}
