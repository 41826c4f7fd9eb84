using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WsAudio.Tests.Support;

/// <summary>
/// A WebSocket client written frame by frame over a plain socket, for what a <c>ClientWebSocket</c> hides: the
/// server's pings, and a client that answers them or not as the test says.
/// </summary>
internal sealed class RawWebSocket : IDisposable
{
    private readonly Socket _socket;
    private readonly List<byte> _received = [];
    private readonly byte[] _buffer = new byte[4096];

    private RawWebSocket(Socket socket) => _socket = socket;

    /// <summary>Connects to <paramref name="server"/>'s <c>/ws</c> and completes the handshake.</summary>
    public static async Task<RawWebSocket> ConnectAsync(Uri server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var client = new RawWebSocket(socket);
        using var timeout = new CancellationTokenSource(Timeouts.Event);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.Port), timeout.Token);
        await socket.SendAsync(Encoding.ASCII.GetBytes(Head(server.Port)));
        int headEnd;
        while ((headEnd = client._received.ToArray().AsSpan().IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (!await client.ReceiveMoreAsync(timeout.Token))
            {
                throw new InvalidOperationException("the server closed before answering the handshake");
            }
        }

        string status = Encoding.ASCII.GetString([.. client._received.Take(headEnd)]).Split("\r\n")[0];
        if (status != "HTTP/1.1 101 Switching Protocols")
        {
            throw new InvalidOperationException($"the handshake was answered {status}");
        }

        client._received.RemoveRange(0, headEnd + 4);
        return client;
    }

    /// <summary>A clean upgrade request for <c>/ws</c> with the protocol's subprotocol, as a browser sends it.</summary>
    public static string Head(int port, string extraHeaders = "") =>
        "GET /ws HTTP/1.1\r\n" +
        $"Host: 127.0.0.1:{port}\r\n" +
        "Upgrade: websocket\r\n" +
        "Connection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
        "Sec-WebSocket-Version: 13\r\n" +
        "Sec-WebSocket-Protocol: wsaudio.v1\r\n" +
        extraHeaders +
        "\r\n";

    /// <summary>Sends one final, masked frame with a payload under 126 bytes.</summary>
    public async Task SendAsync(byte opcode, byte[] payload) => await _socket.SendAsync(ClientFrame(opcode, payload));

    /// <summary>A client's final frame (RFC 6455 §5.2): masked, a payload under 126 bytes.</summary>
    public static byte[] ClientFrame(byte opcode, byte[] payload)
    {
        byte[] mask = [0x11, 0x22, 0x33, 0x44];
        var frame = new byte[2 + 4 + payload.Length];
        frame[0] = (byte)(0x80 | opcode);           // FIN, opcode
        frame[1] = (byte)(0x80 | payload.Length);   // MASK, 7-bit length
        mask.CopyTo(frame, 2);                      // masking key
        for (int i = 0; i < payload.Length; i++)
        {
            frame[6 + i] = (byte)(payload[i] ^ mask[i % 4]);
        }

        return frame;
    }

    /// <summary>An unmasked server frame's header and payload lengths: 7 bits, or 16 after the marker 126; null until known.</summary>
    public static (int Header, int Payload)? FrameSize(List<byte> frame) =>
        frame.Count < 2 ? null
        : (frame[1] & 0x7F) < 126 ? (2, frame[1] & 0x7F)
        : frame.Count < 4 ? null
        : (4, frame[2] << 8 | frame[3]);

    /// <summary>The next whole server frame (unmasked) as opcode and payload; null when the server ends the connection.</summary>
    public async Task<(byte Opcode, byte[] Payload)?> ReceiveAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        while (FrameSize(_received) is not { } size || _received.Count < size.Header + size.Payload)
        {
            if (!await ReceiveMoreAsync(timeout.Token))
            {
                return null;
            }
        }

        var (header, length) = FrameSize(_received)!.Value;
        byte opcode = (byte)(_received[0] & 0x0F);
        byte[] payload = [.. _received.Skip(header).Take(length)];
        _received.RemoveRange(0, header + length);
        return (opcode, payload);
    }

    private async Task<bool> ReceiveMoreAsync(CancellationToken cancellation)
    {
        try
        {
            int n = await _socket.ReceiveAsync(_buffer, SocketFlags.None, cancellation);
            _received.AddRange(_buffer.AsSpan(0, n));
            return n > 0;
        }
        catch (SocketException)
        {
            // Reset: the server cut the connection.
            return false;
        }
    }

    public void Dispose() => _socket.Dispose();
}
