using System.Buffers.Binary;
using System.Text;

namespace WsAudio.Server.Radio;

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
}
