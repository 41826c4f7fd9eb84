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
    [Test]
    public async Task Connect_HeadAndJoinInOneWrite_IsAnsweredThenJoined()
    {
        using var socket = await ConnectAsync();
        byte[] join = ControlMessageSerializer.Serialize(new JoinMessage { Room = "raw-1", Role = ParticipantRole.Listener, Name = "raw" });

        byte[] both = [.. Encoding.ASCII.GetBytes(RawWebSocket.Head(Server.HttpUri.Port)), .. RawWebSocket.ClientFrame(0x1, join)];
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
        byte[] head = Encoding.ASCII.GetBytes(RawWebSocket.Head(Server.HttpUri.Port));

        for (int at = 0; at < head.Length; at += 7)
        {
            await socket.SendAsync(head.AsMemory(at, Math.Min(7, head.Length - at)));
        }

        await socket.SendAsync(RawWebSocket.ClientFrame(0x1, ControlMessageSerializer.Serialize(new JoinMessage { Room = "raw-2", Role = ParticipantRole.Listener })));
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

        await socket.SendAsync(Encoding.ASCII.GetBytes(RawWebSocket.Head(Server.HttpUri.Port, "X-Forwarded-For: 203.0.113.7\r\n")));
        var (status, headers, joined) = await ReadUpgradeAndFirstMessageAsync(socket, RawWebSocket.ClientFrame(0x1, ControlMessageSerializer.Serialize(new JoinMessage { Room = "raw-3", Role = ParticipantRole.Listener })));

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

        await socket.SendAsync(Encoding.ASCII.GetBytes(RawWebSocket.Head(Server.HttpUri.Port, cookie)));
        var (status, headers, joined) = await ReadUpgradeAndFirstMessageAsync(socket, RawWebSocket.ClientFrame(0x1, ControlMessageSerializer.Serialize(new JoinMessage { Room = "raw-4", Role = ParticipantRole.Listener })));

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

        while (RawWebSocket.FrameSize(received) is not { } size || received.Count < size.Header + size.Payload)
        {
            int n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            Assert.That(n, Is.GreaterThan(0), "the server closed before its first message");
            received.AddRange(buffer.AsSpan(0, n));
        }

        Assert.That(received[0], Is.EqualTo(0x81), "a final text frame");
        var (header, payload) = RawWebSocket.FrameSize(received)!.Value;
        string json = Encoding.UTF8.GetString([.. received.Skip(header).Take(payload)]);
        int firstLineEnd = head.IndexOf("\r\n", StringComparison.Ordinal);
        return (head[..firstLineEnd], head[(firstLineEnd + 2)..], JsonDocument.Parse(json).RootElement.Clone());
    }

    private static int IndexOf(List<byte> bytes, ReadOnlySpan<byte> value) => bytes.ToArray().AsSpan().IndexOf(value);
}
