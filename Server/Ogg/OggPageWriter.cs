using System.Buffers.Binary;

namespace WsAudio.Server.Ogg;

/// <summary>
/// Writes one logical Ogg bitstream (RFC 3533), one packet per page: a page holds a 20 ms Opus packet, so a
/// listener's player gets each packet as soon as the room has it.
/// </summary>
internal sealed class OggPageWriter
{
    private const int HeaderSize = 27;
    private const byte FirstPage = 0x02;
    private const byte LastPage = 0x04;

    private readonly uint _serial;
    private uint _sequence;

    public OggPageWriter(uint serial)
    {
        _serial = serial;
    }

    /// <summary>The most bytes a page for a packet of <paramref name="packetLength"/> bytes takes.</summary>
    public static int MaxPageSize(int packetLength) => HeaderSize + (packetLength / 255) + 1 + packetLength;

    /// <summary>
    /// Writes <paramref name="packet"/> as a page whose last packet ends at <paramref name="granule"/>; returns the
    /// bytes written. The first page written is the stream's beginning-of-stream page; with
    /// <paramref name="endOfStream"/>, this one is its last.
    /// </summary>
    public int WritePage(Span<byte> destination, ReadOnlySpan<byte> packet, long granule, bool endOfStream = false)
    {
        // Lacing: a packet is cut into 255-byte segments and ends with a shorter one (zero-length if need be).
        int segments = (packet.Length / 255) + 1;
        if (segments > 255)
        {
            throw new ArgumentException("a packet of more than 65,024 bytes does not fit one page", nameof(packet));
        }

        var page = destination[..(HeaderSize + segments + packet.Length)];
        "OggS"u8.CopyTo(page);
        page[4] = 0;
        page[5] = (byte)((_sequence == 0 ? FirstPage : 0) | (endOfStream ? LastPage : 0));
        BinaryPrimitives.WriteInt64LittleEndian(page[6..], granule);
        BinaryPrimitives.WriteUInt32LittleEndian(page[14..], _serial);
        BinaryPrimitives.WriteUInt32LittleEndian(page[18..], _sequence++);
        BinaryPrimitives.WriteUInt32LittleEndian(page[22..], 0);
        page[26] = (byte)segments;
        page.Slice(HeaderSize, segments - 1).Fill(255);
        page[HeaderSize + segments - 1] = (byte)(packet.Length % 255);
        packet.CopyTo(page[(HeaderSize + segments)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(page[22..], OggCrc.Compute(page));
        return page.Length;
    }
}
