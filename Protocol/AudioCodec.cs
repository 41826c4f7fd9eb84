using System.Text.Json.Serialization;
using WsAudio.Protocol.Json;

namespace WsAudio.Protocol;

/// <summary>How a stream's audio payload is coded: byte 2 of a binary frame, and <c>format.codec</c> in JSON.</summary>
[JsonConverter(typeof(CodecConverter))]
public enum AudioCodec : byte
{
    /// <summary>A codec name this version does not know (JSON only; never valid in a frame or a sender's format).</summary>
    Unknown = 0,

    /// <summary>One Opus packet per frame (RFC 6716); media timestamps count 48 kHz samples.</summary>
    Opus = 1,

    /// <summary>Signed 16-bit little-endian PCM, channels interleaved, at the rate the sender declared.</summary>
    Pcm16 = 2,
}
