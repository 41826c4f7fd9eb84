using System.Globalization;

namespace WsAudio.Server.Radio.Sources;

/// <summary>
/// The body of a source's request as a stream of its bytes: until the connection closes (what ffmpeg, butt and
/// Icecast's own tools send: neither a length nor chunks), up to a <c>Content-Length</c>, or chunked.
/// </summary>
internal sealed class SourceBody : Stream
{
    private const int MaxChunkLine = 256;

    private readonly Stream _inner;
    private readonly bool _chunked;
    private readonly byte[] _line = new byte[MaxChunkLine];
    private readonly byte[] _one = new byte[1];
    private long _remaining;
    private bool _ended;

    private SourceBody(Stream inner, bool chunked, long remaining)
    {
        _inner = inner;
        _chunked = chunked;
        _remaining = remaining;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>The body the request's headers describe, or null with the reason when they describe none it can read.</summary>
    public static SourceBody? For(SourceRequest request, Stream connection, out string? problem)
    {
        problem = null;
        string? encoding = request.Header("Transfer-Encoding");
        if (encoding is not null)
        {
            if (!encoding.Equals("chunked", StringComparison.OrdinalIgnoreCase))
            {
                problem = $"Transfer-Encoding '{encoding}' is not supported";
                return null;
            }

            return new SourceBody(connection, chunked: true, remaining: 0);
        }

        if (request.Header("Content-Length") is { } length)
        {
            if (!long.TryParse(length, NumberStyles.None, CultureInfo.InvariantCulture, out long bytes))
            {
                problem = $"Content-Length '{length}' is not a number";
                return null;
            }

            return new SourceBody(connection, chunked: false, remaining: bytes);
        }

        return new SourceBody(connection, chunked: false, remaining: long.MaxValue);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_ended || buffer.IsEmpty)
        {
            return 0;
        }

        if (_chunked && _remaining == 0)
        {
            _remaining = await ReadChunkSizeAsync(cancellationToken);
            if (_remaining == 0)
            {
                _ended = true;
                return 0;
            }
        }

        int read = await _inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _remaining)], cancellationToken);
        if (read == 0)
        {
            // The connection closed: the end of a body sent without a length, early for the other two framings.
            _ended = true;
            if (_remaining != long.MaxValue)
            {
                throw new OggStreamException("the connection closed before the end of the request body");
            }

            return 0;
        }

        if (_remaining != long.MaxValue)
        {
            _remaining -= read;
            _ended = _remaining == 0 && !_chunked;
            if (_chunked && _remaining == 0)
            {
                await ReadLineAsync(cancellationToken);
            }
        }

        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    // "<hex size>[;extensions]"; a last chunk of size 0 is followed by trailers up to an empty line.
    private async ValueTask<long> ReadChunkSizeAsync(CancellationToken cancellation)
    {
        int length = await ReadLineAsync(cancellation);
        var line = _line.AsSpan(0, length);
        int end = line.IndexOf((byte)';');
        if (!long.TryParse(end < 0 ? line : line[..end], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long size) || size < 0)
        {
            throw new OggStreamException("a chunk of the request body has no valid size");
        }

        if (size == 0)
        {
            while (await ReadLineAsync(cancellation) > 0)
            {
            }
        }

        return size;
    }

    // One CRLF-terminated line into _line, byte by byte: chunk lines are a few bytes once per chunk.
    private async ValueTask<int> ReadLineAsync(CancellationToken cancellation)
    {
        int length = 0;
        while (true)
        {
            if (await _inner.ReadAsync(_one, cancellation) == 0)
            {
                throw new OggStreamException("the connection closed inside the chunked request body");
            }

            if (_one[0] == (byte)'\n')
            {
                return length > 0 && _line[length - 1] == (byte)'\r' ? length - 1 : length;
            }

            if (length == MaxChunkLine)
            {
                throw new OggStreamException("a chunk line of the request body is too long");
            }

            _line[length++] = _one[0];
        }
    }
}
