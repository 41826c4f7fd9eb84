using System.Text;

namespace WsAudio.Server.Radio.Sources;

/// <summary>The head of a source's request (<c>PUT /rooms/{room}</c> or the older <c>SOURCE</c>): method, path and headers.</summary>
internal sealed class SourceRequest
{
    private const string RoomsPrefix = "/rooms/";

    private readonly Dictionary<string, string> _headers;

    private SourceRequest(string method, string path, string version, Dictionary<string, string> headers)
    {
        Method = method;
        Path = path;
        Version = version;
        _headers = headers;
    }

    public string Method { get; }

    /// <summary>The request target without its query.</summary>
    public string Path { get; }

    /// <summary><c>HTTP/1.1</c>, <c>HTTP/1.0</c> or, from old source tools, <c>ICE/1.0</c>.</summary>
    public string Version { get; }

    /// <summary>The room named by <c>/rooms/{room}</c>, or null for any other path.</summary>
    public string? Room =>
        Path.StartsWith(RoomsPrefix, StringComparison.Ordinal) ? Uri.UnescapeDataString(Path[RoomsPrefix.Length..]) : null;

    /// <summary>True when the first bytes of a connection may begin a source's request; false when they cannot.</summary>
    /// <param name="start">The bytes received so far.</param>
    /// <param name="complete">Set when <paramref name="start"/> is long enough to tell.</param>
    public static bool MayBegin(ReadOnlySpan<byte> start, out bool complete)
    {
        foreach (var prefix in (ReadOnlySpan<string>)["PUT " + RoomsPrefix, "SOURCE "])
        {
            int n = Math.Min(start.Length, prefix.Length);
            bool matches = true;
            for (int i = 0; i < n && matches; i++)
            {
                matches = start[i] == prefix[i];
            }

            if (matches)
            {
                complete = start.Length >= prefix.Length;
                return true;
            }
        }

        complete = true;
        return false;
    }

    public string? Header(string name) => _headers.GetValueOrDefault(name);

    /// <summary>Parses the request line and headers (without the blank line that ends them); null when malformed.</summary>
    public static SourceRequest? Parse(ReadOnlySpan<byte> head)
    {
        // Header values are taken as Latin-1, as HTTP/1.1 allows; names and the request line are ASCII.
        string[] lines = Encoding.Latin1.GetString(head).Split("\r\n");
        string[] request = lines[0].Split(' ');
        if (request.Length != 3 || request[1].Length == 0 || request[1][0] != '/')
        {
            return null;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.AsSpan(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return null;
            }

            string name = line[..colon].Trim();
            string value = line[(colon + 1)..].Trim();
            headers[name] = headers.TryGetValue(name, out string? earlier) ? $"{earlier}, {value}" : value;
        }

        int query = request[1].IndexOf('?', StringComparison.Ordinal);
        return new SourceRequest(request[0], query < 0 ? request[1] : request[1][..query], request[2], headers);
    }
}
