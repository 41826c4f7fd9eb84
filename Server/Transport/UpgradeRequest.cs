using System.Text;
using WsAudio.Protocol;

namespace WsAudio.Server.Transport;

/// <summary>
/// A plain HTTP/1.1 request that asks <c>/ws</c> for a WebSocket with the <c>wsaudio.v1</c> subprotocol and has
/// nothing else to say: no proxy's forwarding headers, no body, no header this server would have to look at again.
/// Anything else is not one, and goes to the HTTP server, which answers it as before (refusals included).
/// </summary>
internal sealed class UpgradeRequest
{
    /// <summary>The largest request head read; a longer one is left to the HTTP server and its limits.</summary>
    public const int MaxHeadBytes = 8 * 1024;

    private static readonly byte[] Prefix = Encoding.ASCII.GetBytes("GET " + ProtocolConstants.Path);

    private UpgradeRequest(string key, string? origin, string host)
    {
        Key = key;
        Origin = origin;
        Host = host;
    }

    /// <summary>Sec-WebSocket-Key, as the client sent it.</summary>
    public string Key { get; }

    /// <summary>The page's origin, for a browser; null from other clients.</summary>
    public string? Origin { get; }

    public string Host { get; }

    /// <summary>
    /// Whether <paramref name="start"/>, the first bytes of a connection, may begin such a request: false as soon as
    /// they cannot, so every other request passes at once.
    /// </summary>
    public static bool MayBegin(ReadOnlySpan<byte> start)
    {
        int n = Math.Min(start.Length, Prefix.Length);
        if (!start[..n].SequenceEqual(Prefix.AsSpan(0, n)))
        {
            return false;
        }

        return start.Length == n || start[n] is (byte)' ' or (byte)'?';
    }

    /// <summary>Reads a complete head (request line and headers, without the blank line); null when it is not one.</summary>
    public static UpgradeRequest? Parse(ReadOnlySpan<byte> head)
    {
        int lineEnd = head.IndexOf("\r\n"u8);
        var requestLine = lineEnd < 0 ? head : head[..lineEnd];
        if (!IsRequestLine(requestLine))
        {
            return null;
        }

        string? key = null, origin = null, host = null, version = null;
        bool upgrade = false, connectionUpgrade = false, subprotocol = false;
        var rest = lineEnd < 0 ? [] : head[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            int end = rest.IndexOf("\r\n"u8);
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 2)..];
            int colon = line.IndexOf((byte)':');
            if (colon <= 0 || line[0] is (byte)' ' or (byte)'\t' || !Ascii.IsValid(line))
            {
                return null;
            }

            string name = Encoding.ASCII.GetString(line[..colon]);
            string value = Encoding.ASCII.GetString(line[(colon + 1)..]).Trim(' ', '\t');
            switch (name.ToLowerInvariant())
            {
                case "host" when host is null:
                    host = value;
                    break;
                case "upgrade":
                    upgrade |= HasToken(value, "websocket");
                    break;
                case "connection":
                    connectionUpgrade |= HasToken(value, "upgrade");
                    break;
                case "sec-websocket-version" when version is null:
                    version = value;
                    break;
                case "sec-websocket-key" when key is null:
                    key = value;
                    break;
                case "sec-websocket-protocol":
                    subprotocol |= HasToken(value, ProtocolConstants.Subprotocol, StringComparison.Ordinal);
                    break;
                case "origin" when origin is null:
                    origin = value;
                    break;
                case "host" or "sec-websocket-version" or "sec-websocket-key" or "origin":
                    // Twice: for the HTTP server to judge.
                    return null;
                case "content-length" or "transfer-encoding" or "forwarded" or "x-forwarded-for" or "x-forwarded-proto" or "x-forwarded-host" or "x-original-for":
                    return null;
            }
        }

        return upgrade && connectionUpgrade && subprotocol && version == "13" && IsKey(key) && !string.IsNullOrEmpty(host)
            ? new UpgradeRequest(key!, origin, host)
            : null;
    }

    // "GET /ws HTTP/1.1" or "GET /ws?… HTTP/1.1": the query carries nothing for this endpoint.
    private static bool IsRequestLine(ReadOnlySpan<byte> line)
    {
        if (!line.EndsWith(" HTTP/1.1"u8) || !MayBegin(line) || line.Length < Prefix.Length + " HTTP/1.1".Length)
        {
            return false;
        }

        var target = line[4..^" HTTP/1.1".Length];
        return target.IndexOfAny((byte)' ', (byte)'\t') < 0 && Ascii.IsValid(target) && (target.Length == ProtocolConstants.Path.Length || target[ProtocolConstants.Path.Length] == (byte)'?');
    }

    // A nonce of 16 bytes in base64 (RFC 6455 §4.1).
    private static bool IsKey(string? key)
    {
        Span<byte> nonce = stackalloc byte[18];
        return key is { Length: 24 } && Convert.TryFromBase64String(key, nonce, out int written) && written == 16;
    }

    private static bool HasToken(string value, string token, StringComparison comparison = StringComparison.OrdinalIgnoreCase)
    {
        foreach (var part in value.Split(','))
        {
            if (part.Trim(' ', '\t').Equals(token, comparison))
            {
                return true;
            }
        }

        return false;
    }
}
