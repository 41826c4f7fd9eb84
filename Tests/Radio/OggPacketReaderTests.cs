using System.Buffers.Binary;
using WsAudio.Server.Ogg;
using WsAudio.Server.Radio;
using WsAudio.Server.Radio.Sources;

namespace WsAudio.Tests.Radio;

/// <summary>Ogg pages as sources send them, read back into packets.</summary>
public sealed class OggPacketReaderTests
{
    private const byte Continued = 0x01;
    private const byte First = 0x02;
    private const byte Last = 0x04;

    [Test]
    public async Task ReadAsync_PacketSpanningTwoPages_IsJoinedWhole()
    {
        byte[] big = Enumerable.Range(0, 600).Select(i => (byte)i).ToArray();
        var ogg = new MemoryStream();
        ogg.Write(Page(First, serial: 7, sequence: 0, [255, 255], big[..510]));          // BOS page: 510 bytes of a packet that goes on
        ogg.Write(Page(Continued | Last, serial: 7, sequence: 1, [90], big[510..]));      // continues it: the last 90 bytes
        ogg.Position = 0;
        var reader = new OggPacketReader(ogg, maxPacket: 4096) { Following = 7 };

        var packet = await reader.ReadAsync(CancellationToken.None);
        var end = await reader.ReadAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(packet!.Value.Data.ToArray(), Is.EqualTo(big));
            Assert.That((packet.Value.StartsStream, packet.Value.EndsStream), Is.EqualTo((true, true)));
            Assert.That(end, Is.Null, "the source ended between pages");
        });
    }

    [Test]
    public async Task ReadAsync_ChainedStreams_GivesEachStreamsFirstPacketOnceTheLastEnded()
    {
        var ogg = new MemoryStream();
        ogg.Write(Page(First, serial: 1, sequence: 0, [3], "one"u8.ToArray()));            // first link begins
        ogg.Write(Page(Last, serial: 1, sequence: 1, [3, 2], "endof"u8.ToArray()));        // two packets, the link's last page
        ogg.Write(Page(First, serial: 2, sequence: 0, [3], "two"u8.ToArray()));            // second link begins
        ogg.Position = 0;
        var reader = new OggPacketReader(ogg, maxPacket: 4096);
        var read = new List<(string Text, uint Serial, bool Starts, bool Ends)>();

        while (await reader.ReadAsync(CancellationToken.None) is { } packet)
        {
            read.Add((System.Text.Encoding.ASCII.GetString(packet.Data.Span), packet.Serial, packet.StartsStream, packet.EndsStream));
            reader.Following = packet.EndsStream ? null : packet.Serial;
        }

        Assert.That(read, Is.EqualTo(new[] { ("one", 1u, true, false), ("end", 1u, false, false), ("of", 1u, false, true), ("two", 2u, true, false) }));
    }

    [TestCase("crc", "fails its CRC check")]
    [TestCase("pattern", "not an Ogg stream")]
    [TestCase("truncated", "ends inside a page")]
    [TestCase("large", "larger than 100 bytes")]
    public void ReadAsync_BrokenPage_ThrowsItsReason(string harm, string reason)
    {
        byte[] page = Page(First, serial: 3, sequence: 0, [200], new byte[200]);
        page = harm switch
        {
            "crc" => Flip(page, 30),
            "pattern" => Flip(page, 0),
            "truncated" => page[..40],
            _ => page,
        };
        var reader = new OggPacketReader(new MemoryStream(page), maxPacket: 100) { Following = 3 };

        var thrown = Assert.ThrowsAsync<OggStreamException>(async () => await reader.ReadAsync(CancellationToken.None));

        Assert.That(thrown!.Message, Does.Contain(reason));
    }

    private static byte[] Flip(byte[] bytes, int at)
    {
        bytes[at] ^= 0xFF;
        return bytes;
    }

    // An Ogg page (RFC 3533 §6) with its CRC.
    private static byte[] Page(int flags, uint serial, uint sequence, byte[] lacing, byte[] body)
    {
        var page = new byte[27 + lacing.Length + body.Length];
        "OggS"u8.CopyTo(page);                                                // capture pattern
        page[4] = 0;                                                         // version
        page[5] = (byte)flags;                                               // continued / first / last
        BinaryPrimitives.WriteInt64LittleEndian(page.AsSpan(6), 0);           // granule position
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(14), serial);    // logical stream
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(18), sequence);  // page number
        page[26] = (byte)lacing.Length;                                      // segments, then their lengths
        lacing.CopyTo(page, 27);
        body.CopyTo(page, 27 + lacing.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(22), OggCrc.Compute(page));
        return page;
    }
}
