using System.Buffers.Binary;
using WsAudio.Protocol.Framing;
using WsAudio.Server.Ogg;

namespace WsAudio.Server.Outputs.Recording;

/// <summary>
/// An Opus stream recorded as Ogg Opus (RFC 7845): the sender's packets as they came, one per page, each page
/// written through to the file at once, so a crash leaves a file that plays up to its last page. Granule positions
/// follow the frames' timestamps, so a lost frame shows as a gap rather than shifting what follows.
/// </summary>
internal sealed class OggOpusFile : IStreamFile
{
    private readonly FileStream _file;
    private readonly OggPageWriter _pages;
    private readonly byte[] _page = new byte[OggPageWriter.MaxPageSize(ushort.MaxValue)];
    private long _lastPageOffset = -1;
    private int _lastPageLength;
    private uint? _firstTimestamp;
    private long _granule;

    public OggOpusFile(string path, int channels, string title)
    {
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        _pages = new OggPageWriter((uint)Random.Shared.Next());
        WritePage(OpusHeaders.Head(channels), 0);
        WritePage(OpusHeaders.Tags(title), 0);
    }

    public long Bytes { get; private set; }

    public void Write(in AudioFrameHeader header, ReadOnlySpan<byte> payload)
    {
        int samples = OpusPacket.Samples(payload);
        if (samples == 0)
        {
            return;
        }

        _firstTimestamp ??= header.Timestamp;

        // Timestamps decide where a packet ends; a sender that went back in time is put just after what came before.
        long end = (long)(uint)(header.Timestamp - _firstTimestamp.Value) + samples;
        _granule = Math.Max(_granule + samples, end);
        WritePage(payload, _granule);
    }

    public void Close()
    {
        // The last page becomes the end-of-stream page: its flag set and its checksum made again.
        if (_lastPageOffset >= 0)
        {
            var page = _page.AsSpan(0, _lastPageLength);
            _file.Position = _lastPageOffset;
            _file.ReadExactly(page);
            page[5] |= 0x04;
            BinaryPrimitives.WriteUInt32LittleEndian(page[22..], 0);
            BinaryPrimitives.WriteUInt32LittleEndian(page[22..], OggCrc.Compute(page));
            _file.Position = _lastPageOffset;
            _file.Write(page);
        }

        _file.Dispose();
    }

    public void Dispose() => _file.Dispose();

    private void WritePage(ReadOnlySpan<byte> packet, long granule)
    {
        int length = _pages.WritePage(_page, packet, granule);
        _lastPageOffset = _file.Position;
        _lastPageLength = length;
        _file.Write(_page, 0, length);
        Bytes += length;
    }
}
