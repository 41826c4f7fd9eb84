using System.Text.Json.Serialization;

namespace WsAudio.Protocol;

/// <summary>What a participant may do in a room. A sender never receives its own audio.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ParticipantRole>))]
public enum ParticipantRole
{
    /// <summary>Sends audio and hears every other sender (voice chat).</summary>
    [JsonStringEnumMemberName("speaker")]
    Speaker,

    /// <summary>Hears every sender, sends nothing (an audience).</summary>
    [JsonStringEnumMemberName("listener")]
    Listener,

    /// <summary>Sends audio, hears nothing (a radio-style source).</summary>
    [JsonStringEnumMemberName("broadcaster")]
    Broadcaster,
}
