using System.Diagnostics;

namespace WsAudio.Cli.Bot;

/// <summary>
/// A listener that plays a room's radio listen URL (<c>/rooms/{room}/stream.ogg</c>) as a plain player would:
/// one HTTP request, an endless Ogg stream. Reads the speaker's stamp (<see cref="PacketStamp"/>) from each packet
/// for latency and loss.
/// </summary>
internal sealed class ListenUrlPeer : IBotPeer
{
    private const int HeaderPages = 2;
    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly LoadStats _stats;
    private readonly long _lateMicros;
    private readonly CancellationToken _stopping;
    private readonly StreamTracker _tracker = new();
    private Task? _reading;

    public ListenUrlPeer(HttpClient http, Uri webSocketUrl, string room, string? token, LoadStats stats, TimeSpan late, CancellationToken stopping)
    {
        _http = http;
        _url = ListenUrl(webSocketUrl, room, token);
        _stats = stats;
        _lateMicros = (long)(late.TotalMilliseconds * 1000);
        _stopping = stopping;
    }

    public bool IsSpeaker => false;

    /// <summary>The listen URL of <paramref name="room"/> on the server at <paramref name="webSocketUrl"/>.</summary>
    public static Uri ListenUrl(Uri webSocketUrl, string room, string? token) => new UriBuilder(webSocketUrl)
    {
        Scheme = webSocketUrl.Scheme == "wss" ? "https" : "http",
        Path = $"/rooms/{Uri.EscapeDataString(room)}/stream.ogg",
        Query = token is null ? string.Empty : $"token={Uri.EscapeDataString(token)}",
    }.Uri;

    public async Task<bool> ConnectAsync(TimeSpan timeout)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        limit.CancelAfter(timeout);
        try
        {
            var response = await _http.GetAsync(_url, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadAsStreamAsync(limit.Token);
            _stats.ConnectionOpened();
            _reading = Task.Run(() => ReadAsync(response, body), CancellationToken.None);
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            _stats.ConnectionFailed();
            return false;
        }
    }

    public Task PingAsync() => Task.CompletedTask;

    public async Task FinishAsync()
    {
        if (_reading is not null)
        {
            await _reading;
        }

        _stats.AddJitter(_tracker.JitterMicros);
    }

    /// <summary>
    /// Milliseconds from sending the request to the first audio page, or null when none came within
    /// <paramref name="timeout"/>.
    /// </summary>
    public static async Task<double?> TimeToFirstAudioAsync(HttpClient http, Uri url, TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            await using var body = await response.Content.ReadAsStreamAsync(limit.Token);
            var pages = new OggPages(body);
            while (await pages.NextAsync(limit.Token) is { } index)
            {
                if (index >= HeaderPages)
                {
                    return clock.Elapsed.TotalMilliseconds;
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
        }

        return null;
    }

    private async Task ReadAsync(HttpResponseMessage response, Stream body)
    {
        using (response)
        await using (body)
        {
            var pages = new OggPages(body);
            try
            {
                while (await pages.NextAsync(_stopping) is { } index)
                {
                    if (index >= HeaderPages && PacketStamp.TryRead(pages.Body, out long capture, out uint sequence))
                    {
                        _stats.Receive(_tracker, sequence, capture, _lateMicros);
                    }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
            {
            }
        }
    }

    // The pages of an Ogg stream, one at a time; the server writes one packet per page, so a page's body is a packet.
    private sealed class OggPages(Stream source)
    {
        private byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;
        private int _bodyStart;
        private int _bodyLength;
        private int _index = -1;

        public ReadOnlySpan<byte> Body => _buffer.AsSpan(_bodyStart, _bodyLength);

        // The index of the next page, or null at the end of the stream.
        public async Task<int?> NextAsync(CancellationToken cancellation)
        {
            _start = _bodyStart + _bodyLength;
            if (!await FillAsync(27, cancellation))
            {
                return null;
            }

            int segments = _buffer[_start + 26];
            if (!await FillAsync(27 + segments, cancellation))
            {
                return null;
            }

            int length = 0;
            for (int i = 0; i < segments; i++)
            {
                length += _buffer[_start + 27 + i];
            }

            if (!await FillAsync(27 + segments + length, cancellation))
            {
                return null;
            }

            _bodyStart = _start + 27 + segments;
            _bodyLength = length;
            return ++_index;
        }

        private async Task<bool> FillAsync(int count, CancellationToken cancellation)
        {
            if (_end - _start >= count)
            {
                return true;
            }

            // Keep what is unread at the front; grow only for a page larger than the buffer.
            int unread = _end - _start;
            if (count > _buffer.Length)
            {
                Array.Resize(ref _buffer, count);
            }

            _buffer.AsSpan(_start, unread).CopyTo(_buffer);
            (_start, _end) = (0, unread);
            while (_end < count)
            {
                int read = await source.ReadAsync(_buffer.AsMemory(_end), cancellation);
                if (read == 0)
                {
                    return false;
                }

                _end += read;
            }

            return true;
        }
    }
}
