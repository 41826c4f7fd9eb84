using System.Buffers.Binary;
using WsAudio.Server.Ogg;

namespace WsAudio.Server.Radio.Sources;

/// <summary>
/// Reads the packets of an Ogg stream (RFC 3533) as a source sends it: checks every page's capture pattern,
/// version and CRC, and joins packets that span pages. Follows one logical stream at a time
/// (<see cref="Following"/>); pages of any other are checked and skipped.
/// </summary>
/// <remarks>A broken stream throws <see cref="OggStreamException"/> with a reason fit for a log line.</remarks>
internal sealed class OggPacketReader
{
    private const int HeaderSize = 27;
    private const int MaxPageSize = HeaderSize + 255 + (255 * 255);
    private const byte Continued = 0x01;
    private const byte FirstPage = 0x02;
    private const byte LastPage = 0x04;

    private readonly Stream _source;
    private readonly int _maxPacket;
    private readonly byte[] _buffer = new byte[2 * MaxPageSize];
    private readonly byte[] _packet;
    private int _start;
    private int _end;
    private int _packetLength;
    private bool _packetOpen;
    private bool _packetStartsStream;
    private long _pages;

    // The page being taken apart: where its lacing values and data are in _buffer, and how far it has been read.
    private int _page = -1;
    private int _segments;
    private int _lacing;
    private int _data;
    private byte _flags;

    public OggPacketReader(Stream source, int maxPacket)
    {
        _source = source;
        _maxPacket = maxPacket;
        _packet = new byte[maxPacket];
    }

    /// <summary>
    /// The serial number of the logical stream whose packets are returned; null while none is followed, when only
    /// the first packet of each beginning-of-stream page is returned (the one that names the codec).
    /// </summary>
    public uint? Following { get; set; }

    /// <summary>Bytes read from the source so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>The next packet, or null when the source ended cleanly between pages.</summary>
    public async ValueTask<OggPacket?> ReadAsync(CancellationToken cancellation)
    {
        while (true)
        {
            if (_page >= 0 && TakePacket(out var packet))
            {
                return packet;
            }

            if (!await NextPageAsync(cancellation))
            {
                return null;
            }
        }
    }

    // Cuts the next whole packet out of the current page; false when the page is used up (a packet may remain open).
    private bool TakePacket(out OggPacket packet)
    {
        packet = default;
        uint serial = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(_page + 14));
        while (_lacing < _segments)
        {
            int length = _buffer[_page + HeaderSize + _lacing];
            if (_packetLength == 0 && !_packetOpen)
            {
                _packetStartsStream = _lacing == 0 && (_flags & FirstPage) != 0;
            }

            _lacing++;
            if (_packetLength + length > _maxPacket)
            {
                throw new OggStreamException($"a packet is larger than {_maxPacket} bytes");
            }

            _buffer.AsSpan(_data, length).CopyTo(_packet.AsSpan(_packetLength));
            _data += length;
            _packetLength += length;
            _packetOpen = length == 255;
            if (_packetOpen)
            {
                continue;
            }

            bool lastOfPage = !HasWholePacketLeft();
            packet = new OggPacket(
                _packet.AsMemory(0, _packetLength),
                serial,
                StartsStream: _packetStartsStream,
                EndsStream: lastOfPage && (_flags & LastPage) != 0);
            _packetLength = 0;
            if (Following is null)
            {
                // Only a stream's first packet is of use before a stream is followed: skip the rest of the page.
                _lacing = _segments;
            }

            return true;
        }

        _page = -1;
        return false;
    }

    private bool HasWholePacketLeft()
    {
        for (int i = _lacing; i < _segments; i++)
        {
            if (_buffer[_page + HeaderSize + i] < 255)
            {
                return true;
            }
        }

        return false;
    }

    // Reads and checks pages until one of the followed stream (or, following none, a first page) is found.
    private async ValueTask<bool> NextPageAsync(CancellationToken cancellation)
    {
        while (true)
        {
            if (!await FillAsync(HeaderSize, cancellation))
            {
                return false;
            }

            var header = _buffer.AsSpan(_start, HeaderSize);
            if (!header.StartsWith("OggS"u8))
            {
                throw new OggStreamException(_pages == 0 ? "the body is not an Ogg stream" : "lost sync: bytes between Ogg pages");
            }

            if (header[4] != 0)
            {
                throw new OggStreamException($"Ogg page version {header[4]} is not 0");
            }

            int segments = header[26];
            if (!await FillAsync(HeaderSize + segments, cancellation))
            {
                throw new OggStreamException("the stream ends inside a page");
            }

            int body = 0;
            for (int i = 0; i < segments; i++)
            {
                body += _buffer[_start + HeaderSize + i];
            }

            int size = HeaderSize + segments + body;
            if (!await FillAsync(size, cancellation))
            {
                throw new OggStreamException("the stream ends inside a page");
            }

            var page = _buffer.AsSpan(_start, size);
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(page[22..]);
            BinaryPrimitives.WriteUInt32LittleEndian(page[22..], 0);
            if (OggCrc.Compute(page) != crc)
            {
                throw new OggStreamException($"page {BinaryPrimitives.ReadUInt32LittleEndian(page[18..])} fails its CRC check");
            }

            int at = _start;
            _start += size;
            _pages++;
            byte flags = page[5];
            uint serial = BinaryPrimitives.ReadUInt32LittleEndian(page[14..]);
            bool wanted = Following is { } followed ? serial == followed : (flags & FirstPage) != 0;
            if (!wanted)
            {
                continue;
            }

            if (((flags & Continued) != 0) != _packetOpen)
            {
                throw new OggStreamException(_packetOpen ? "a packet is cut off: the next page does not continue it" : "a page continues a packet that never began");
            }

            (_page, _segments, _lacing, _data, _flags) = (at, segments, 0, at + HeaderSize + segments, flags);
            return true;
        }
    }

    // Makes count bytes from _start available; false at the end of the source with none of them read yet.
    private async ValueTask<bool> FillAsync(int count, CancellationToken cancellation)
    {
        if (_end - _start >= count)
        {
            return true;
        }

        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        while (_end < count)
        {
            int read = await _source.ReadAsync(_buffer.AsMemory(_end), cancellation);
            if (read == 0)
            {
                if (_end == 0 && !_packetOpen)
                {
                    return false;
                }

                throw new OggStreamException(_packetOpen ? "the stream ends inside a packet" : "the stream ends inside a page");
            }

            _end += read;
            BytesRead += read;
        }

        return true;
    }
}
