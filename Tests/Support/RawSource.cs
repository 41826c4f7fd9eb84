using System.Net.Sockets;
using System.Text;

namespace WsAudio.Tests.Support;

/// <summary>
/// An Icecast source written byte by byte over TCP, for what the real tools cannot be made to do: wrong
/// credentials, a second source, mangled Ogg.
/// </summary>
internal sealed class RawSource : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawSource(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawSource> ConnectAsync(Uri server)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        return new RawSource(tcp);
    }

    /// <summary>
    /// Sends a source's request head and reads the answer's head (and body, when it has a length); returns the
    /// status code and the whole answer as text.
    /// </summary>
    public async Task<(int Status, string Answer)> StartAsync(string method, string path, string? user, string? password, string contentType = "audio/ogg", bool expect = true)
    {
        var head = new StringBuilder($"{method} {path} HTTP/1.1\r\nHost: test\r\nContent-Type: {contentType}\r\nice-name: Raw FM\r\n");
        if (user is not null)
        {
            head.Append("Authorization: Basic ").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"))).Append("\r\n");
        }

        head.Append(expect ? "Expect: 100-continue\r\n\r\n" : "\r\n");
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        return await ReadAnswerAsync();
    }

    public async Task WriteAsync(ReadOnlyMemory<byte> bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Ends the request body as source tools do: by closing the sending side.</summary>
    public void EndBody() => _tcp.Client.Shutdown(SocketShutdown.Send);

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<(int Status, string Answer)> ReadAnswerAsync()
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        using var timeout = new CancellationTokenSource(Timeouts.Event);
        while (!EndsHead(bytes))
        {
            if (await _stream.ReadAsync(one, timeout.Token) == 0)
            {
                break;
            }

            bytes.Add(one[0]);
        }

        string answer = Encoding.ASCII.GetString(bytes.ToArray());
        int length = answer.Split("\r\n").Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)).Select(l => int.Parse(l[15..].Trim())).FirstOrDefault();
        var body = new byte[length];
        await _stream.ReadExactlyAsync(body, timeout.Token);
        string[] status = answer.Split(' ', 3);
        return (status.Length > 1 ? int.Parse(status[1]) : 0, answer + Encoding.UTF8.GetString(body));
    }

    private static bool EndsHead(List<byte> bytes) =>
        bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n';
}
