using System.Text.Json.Serialization;
using WsAudio.Protocol.Json;

namespace WsAudio.Protocol.Messages;

/// <summary>What a tap receives.</summary>
[JsonConverter(typeof(TapModeConverter))]
public enum TapMode
{
    /// <summary>Each speaker's audio as its own stream, labelled with who speaks.</summary>
    PerSpeaker,

    /// <summary>The room's mix as one stream (id 0).</summary>
    Mix,
}
