using System.Text.Json;

namespace WsAudio.Protocol.Json;

/// <summary>
/// A codec name this version does not know reads as <see cref="AudioCodec.Unknown"/>, so that a sender's format
/// is refused as <c>invalid-format</c> (the server does not take that codec) rather than as a malformed message,
/// a listener's unused format does not fail its join, and a client reading a newer server's announcement still
/// reads the rest of it.
/// </summary>
internal sealed class CodecConverter() : ProtocolNameConverter<AudioCodec>(
    (AudioCodec.Opus, "opus"),
    (AudioCodec.Pcm16, "pcm16"))
{
    protected override AudioCodec ReadUnknown(ref Utf8JsonReader reader) => AudioCodec.Unknown;

    // The name it had is not kept; a message read with one is written back as "unknown", which reads the same.
    protected override void WriteUnknown(Utf8JsonWriter writer, AudioCodec value) => writer.WriteStringValue("unknown");
}
