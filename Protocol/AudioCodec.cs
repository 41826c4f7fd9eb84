using System.Text.Json.Serialization;

namespace WsAudio.Protocol;

/// <summary>How a stream's audio payload is coded: byte 2 of a binary frame, and <c>format.codec</c> in JSON.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AudioCodec>))]
public enum AudioCodec : byte
{
    /// <summary>One Opus packet per frame (RFC 6716); media timestamps count 48 kHz samples.</summary>
    [JsonStringEnumMemberName("opus")]
    Opus = 1,

    /// <summary>Signed 16-bit little-endian PCM, channels interleaved, at the rate the sender declared.</summary>
    [JsonStringEnumMemberName("pcm16")]
    Pcm16 = 2,
}
