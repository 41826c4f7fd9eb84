using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

/// <summary>
/// WebSocket handshakes written byte by byte as clients may send them: whole, in pieces, with the first message
/// right behind, or through a proxy's headers.
/// </summary>
public sealed class RawHandshakeTests : RelayFixture
{
    private static string Head(int port, string extraHeaders = "") =>
        "GET /ws HTTP/1.1\r\n" +
        $"Host: 127.0.0.1:{port}\r\n" +
        "Upgrade: websocket\r\n" +
        "Connection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
        "Sec-WebSocket-Version: 13\r\n" +
        "Sec-WebSocket-Protocol: wsaudio.v1\r\n" +
        extraHeaders +
        "\r\n";

    [Test]
    public async Task Connect_HeadAndJoinInOneWrite_IsAnsweredThenJoined()
    {
        using var socket = await ConnectAsync();
        byte[] join = ControlMessageSerializer.Serialize(new JoinMessage { Room = "raw-1", Role = ParticipantRole.Listener, Name = "raw" });

        byte[] both = [.. Encoding.ASCII.GetBytes(Head(Server.HttpUri.Port)), .. ClientTextFrame(join)];
        await socket.SendAsync(both);
        var (status, headers, joined) = await ReadUpgradeAndFirstMessageAsync(socket);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo("HTTP/1.1 101 Switching Protocols"));
            // RFC 6455 §1.3's own example: this key's answer.
            Assert.That(headers, Does.Contain("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
            Assert.That(headers, Does.Contain("Sec-WebSocket-Protocol: wsaudio.v1"));
            Assert.That(headers, Does.Not.Contain("Date:"), "answered before the HTTP server, which dates its answers");
            Assert.That(joined.GetProperty("type").GetString(), Is.EqualTo("joined"), "the message sent behind the head was read as the first frame");
            Assert.That(joined.GetProperty("room").GetString(), Is.EqualTo("raw-1"));
        });
    }

    [Test]
    public async Task Connect_HeadInSmallPieces_IsAnswered()
    {
        using var socket = await ConnectAsync();
        socket.NoDelay = true;
        byte[] head = Encoding.ASCII.GetBytes(Head(Server.HttpUri.Port));

        for (int at = 0; at < head.Length; at += 7)
        {
            await socket.SendAsync(head.AsMemory(at, Math.Min(7, head.Length - at)));
        }

        await socket.SendAsync(ClientTextFrame(ControlMessageSerializer.Serialize(new JoinMessage { Room = "raw-2", Role = ParticipantRole.Listener })));
        var (status, _, joined) = await ReadUpgradeAndFirstMessageAsync(socket);

        Assert.That(status, Is.EqualTo("HTTP/1.1 101 Switching Protocols"));
        Assert.That(joined.GetProperty("type").GetString(), Is.EqualTo("joined"));
    }

    // A proxy's headers send the handshake the HTTP way (the forwarded address is judged there): it is accepted all the same.
    // The join waits for the answer: through HTTP, a message sent before the client has read the 101 is sometimes lost
    // (seen before the filter existed as well); browsers always wait, and the filter's own path keeps such a message.
    [Test]
    public async Task Connect_WithForwardingHeaders_IsAnsweredTheHttpWay()
    {
        using var socket = await ConnectAsync();

        await socket.SendAsync(Encoding.ASCII.GetBytes(Head(Server.HttpUri.Port, "X-Forwarded-For: 203.0.113.7\r\n")));
        var (status, headers, joined) = await ReadUpgradeAndFirstMessageAsync(socket, ClientTextFrame(ControlMessageSerializer.Serialize(new JoinMessage { Room = "raw-3", Role = ParticipantRole.Listener })));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo("HTTP/1.1 101 Switching Protocols"));
            Assert.That(headers, Does.Contain("Date:"), "answered by the HTTP server, which dates its answers");
            Assert.That(joined.GetProperty("type").GetString(), Is.EqualTo("joined"));
        });
    }

    // Kestrel's input arrives in 4 KiB blocks: a head longer than one spans two. One past UpgradeRequest.MaxHeadBytes
    // (8 KiB) is the HTTP server's to read, with its own limits (32 KiB).
    [TestCase(5_000, false)]
    [TestCase(9_000, true)]
    public async Task Connect_LongHead_IsAnsweredHereUpToItsLimitAndByHttpBeyond(int cookieBytes, bool byHttp)
    {
        using var socket = await ConnectAsync();
        string cookie = $"Cookie: session={new string('c', cookieBytes)}\r\n";

        await socket.SendAsync(Encoding.ASCII.GetBytes(Head(Server.HttpUri.Port, cookie)));
        var (status, headers, joined) = await ReadUpgradeAndFirstMessageAsync(socket, ClientTextFrame(ControlMessageSerializer.Serialize(new JoinMessage { Room = "raw-4", Role = ParticipantRole.Listener })));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo("HTTP/1.1 101 Switching Protocols"));
            Assert.That(headers.Contains("Date:", StringComparison.Ordinal), Is.EqualTo(byHttp), "the HTTP server dates its answers; this server's own answer has no date");
            Assert.That(joined.GetProperty("type").GetString(), Is.EqualTo("joined"));
        });
    }

    private async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(Timeouts.Event);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Server.HttpUri.Port), timeout.Token);
        return socket;
    }

    // A client's text frame (RFC 6455 §5.2): final, masked, a payload under 126 bytes.
    private static byte[] ClientTextFrame(byte[] payload)
    {
        byte[] mask = [0x11, 0x22, 0x33, 0x44];
        var frame = new byte[2 + 4 + payload.Length];
        frame[0] = 0x81;                            // FIN, opcode 1 (text)
        frame[1] = (byte)(0x80 | payload.Length);   // MASK, 7-bit length
        mask.CopyTo(frame, 2);                      // masking key
        for (int i = 0; i < payload.Length; i++)
        {
            frame[6 + i] = (byte)(payload[i] ^ mask[i % 4]);
        }

        return frame;
    }

    // The answer's status line and headers, then the first server frame (unmasked text) as JSON.
    private static async Task<(string Status, string Headers, JsonElement Message)> ReadUpgradeAndFirstMessageAsync(Socket socket, byte[]? sendOnceAnswered = null)
    {
        using var timeout = new CancellationTokenSource(Timeouts.Event);
        var received = new List<byte>();
        var buffer = new byte[4096];
        int headEnd;
        while ((headEnd = IndexOf(received, "\r\n\r\n"u8)) < 0)
        {
            int n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            Assert.That(n, Is.GreaterThan(0), "the server closed before answering");
            received.AddRange(buffer.AsSpan(0, n));
        }

        string head = Encoding.ASCII.GetString([.. received.Take(headEnd)]);
        received.RemoveRange(0, headEnd + 4);
        if (sendOnceAnswered is not null)
        {
            await socket.SendAsync(sendOnceAnswered);
        }

        while (FrameSize(received) is not { } size || received.Count < size.Header + size.Payload)
        {
            int n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            Assert.That(n, Is.GreaterThan(0), "the server closed before its first message");
            received.AddRange(buffer.AsSpan(0, n));
        }

        Assert.That(received[0], Is.EqualTo(0x81), "a final text frame");
        var (header, payload) = FrameSize(received)!.Value;
        string json = Encoding.UTF8.GetString([.. received.Skip(header).Take(payload)]);
        int firstLineEnd = head.IndexOf("\r\n", StringComparison.Ordinal);
        return (head[..firstLineEnd], head[(firstLineEnd + 2)..], JsonDocument.Parse(json).RootElement.Clone());
    }

    // An unmasked server frame's header and payload lengths: 7 bits, or 16 after the marker 126; null until known.
    private static (int Header, int Payload)? FrameSize(List<byte> frame) =>
        frame.Count < 2 ? null
        : (frame[1] & 0x7F) < 126 ? (2, frame[1] & 0x7F)
        : frame.Count < 4 ? null
        : (4, frame[2] << 8 | frame[3]);

    private static int IndexOf(List<byte> bytes, ReadOnlySpan<byte> value) => bytes.ToArray().AsSpan().IndexOf(value);
}
