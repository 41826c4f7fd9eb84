namespace WsAudio.Server.Radio.Sources;

/// <summary>One packet of an Ogg stream; <see cref="Data"/> is valid until the reader's next read.</summary>
/// <param name="Data">The packet's bytes.</param>
/// <param name="Serial">The logical stream it belongs to.</param>
/// <param name="StartsStream">The first packet of a beginning-of-stream page: it names the stream's codec.</param>
/// <param name="EndsStream">The last packet of an end-of-stream page: a chained stream may begin after it.</param>
internal readonly record struct OggPacket(ReadOnlyMemory<byte> Data, uint Serial, bool StartsStream, bool EndsStream);
