using System.Text.Json.Serialization;
using WsAudio.Protocol.Json;

namespace WsAudio.Protocol.Messages;

/// <summary>What an admin asks of the room's recording.</summary>
[JsonConverter(typeof(RecordActionConverter))]
public enum RecordAction
{
    /// <summary>Start recording the room (nothing changes if it already is).</summary>
    Start,

    /// <summary>Stop recording the room.</summary>
    Stop,
}
