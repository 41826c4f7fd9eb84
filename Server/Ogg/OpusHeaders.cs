using System.Buffers.Binary;
using System.Text;

namespace WsAudio.Server.Ogg;

/// <summary>The two header packets that open an Ogg Opus stream (RFC 7845 §5).</summary>
internal static class OpusHeaders
{
    // libopus's encoder delay at 48 kHz, which every sender here uses; players skip this many samples at the start.
    private const ushort PreSkip = 312;

    /// <summary>Identification header: version 1, channel mapping family 0 (mono or stereo).</summary>
    public static byte[] Head(int channels)
    {
        var head = new byte[19];
        "OpusHead"u8.CopyTo(head);
        head[8] = 1;
        head[9] = (byte)channels;
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(10), PreSkip);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(12), 48000);
        BinaryPrimitives.WriteInt16LittleEndian(head.AsSpan(16), 0);
        head[18] = 0;
        return head;
    }

    /// <summary>Comment header: the vendor, and the title as a <c>TITLE</c> comment.</summary>
    public static byte[] Tags(string title)
    {
        byte[] vendor = "WsAudio"u8.ToArray();
        byte[] comment = Encoding.UTF8.GetBytes($"TITLE={title}");
        var tags = new byte[8 + 4 + vendor.Length + 4 + 4 + comment.Length];
        "OpusTags"u8.CopyTo(tags);
        BinaryPrimitives.WriteInt32LittleEndian(tags.AsSpan(8), vendor.Length);
        vendor.CopyTo(tags, 12);
        BinaryPrimitives.WriteInt32LittleEndian(tags.AsSpan(12 + vendor.Length), 1);
        BinaryPrimitives.WriteInt32LittleEndian(tags.AsSpan(16 + vendor.Length), comment.Length);
        comment.CopyTo(tags, 20 + vendor.Length);
        return tags;
    }

    /// <summary>
    /// Checks an identification header a source sent; returns its channel count (1 or 2), or 0 with the reason
    /// in <paramref name="problem"/>.
    /// </summary>
    public static int ReadHead(ReadOnlySpan<byte> packet, out string? problem)
    {
        problem = null;
        if (!packet.StartsWith("OpusHead"u8))
        {
            problem = $"the Ogg stream carries {CodecOf(packet)}, not Opus";
            return 0;
        }

        if (packet.Length < 19 || (packet[8] & 0xF0) != 0)
        {
            problem = "the OpusHead packet is malformed or of an unknown version";
            return 0;
        }

        // Mapping family 0 is mono or stereo; the others (surround, ambisonics) are not relayed.
        if (packet[18] != 0 || packet[9] is < 1 or > 2)
        {
            problem = $"the Opus stream has {packet[9]} channels (mapping family {packet[18]}); mono and stereo are taken";
            return 0;
        }

        return packet[9];
    }

    /// <summary>The title a comment header gives: <c>ARTIST - TITLE</c>, either alone, or null when it has neither.</summary>
    public static string? ReadTitle(ReadOnlySpan<byte> packet)
    {
        if (!packet.StartsWith("OpusTags"u8) || packet.Length < 16)
        {
            return null;
        }

        string? title = null;
        string? artist = null;
        int at = 8;
        if (!TryTake(packet, ref at, out _) || at + 4 > packet.Length)
        {
            return null;
        }

        uint count = BinaryPrimitives.ReadUInt32LittleEndian(packet[at..]);
        at += 4;
        for (uint i = 0; i < count && TryTake(packet, ref at, out var comment); i++)
        {
            int equals = comment.IndexOf((byte)'=');
            if (equals <= 0)
            {
                continue;
            }

            string key = Encoding.ASCII.GetString(comment[..equals]);
            if (key.Equals("TITLE", StringComparison.OrdinalIgnoreCase))
            {
                title = Encoding.UTF8.GetString(comment[(equals + 1)..]);
            }
            else if (key.Equals("ARTIST", StringComparison.OrdinalIgnoreCase))
            {
                artist = Encoding.UTF8.GetString(comment[(equals + 1)..]);
            }
        }

        return (artist, title) switch
        {
            (null, null) => null,
            (null, _) => title,
            (_, null) => artist,
            _ => $"{artist} - {title}",
        };
    }

    // A length-prefixed (32-bit little-endian) string of the comment header.
    private static bool TryTake(ReadOnlySpan<byte> packet, ref int at, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (at + 4 > packet.Length)
        {
            return false;
        }

        uint length = BinaryPrimitives.ReadUInt32LittleEndian(packet[at..]);
        if (length > (uint)(packet.Length - at - 4))
        {
            return false;
        }

        value = packet.Slice(at + 4, (int)length);
        at += 4 + (int)length;
        return true;
    }

    // Each codec's first packet starts with a type byte and its name (Vorbis 0x01, FLAC 0x7F, Theora 0x80).
    private static string CodecOf(ReadOnlySpan<byte> packet) =>
        packet.IsEmpty ? "an empty first packet"
        : packet[1..].StartsWith("vorbis"u8) ? "Vorbis"
        : packet[1..].StartsWith("FLAC"u8) ? "FLAC"
        : packet[1..].StartsWith("theora"u8) ? "Theora"
        : packet.StartsWith("Speex"u8) ? "Speex"
        : "an unknown codec";
}
