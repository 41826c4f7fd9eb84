using System.Net;
using System.Net.Sockets;
using WsAudio.Server.Transport;

namespace WsAudio.Tests.Relay;

/// <summary>The writer a fan-out calls on its own thread: it must report a broken connection, never throw.</summary>
public sealed class SocketWireWriterTests
{
    // A real loopback connection: the writer's side and the peer's.
    private static async Task<(Socket Server, Socket Peer)> ConnectedPairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accepting = listener.AcceptAsync();
        await peer.ConnectAsync(listener.LocalEndPoint!);
        return (await accepting, peer);
    }

    [Test]
    public async Task TryWriteNow_OpenSocket_WritesEveryByte()
    {
        var (server, peer) = await ConnectedPairAsync();
        using (server)
        using (peer)
        {
            var writer = new SocketWireWriter(server);
            byte[] frame = [0x82, 0x02, 0xAB, 0xCD];

            Assert.That(writer.TryWriteNow(frame), Is.EqualTo(4));
            Assert.That(writer.TryWriteNow([new ArraySegment<byte>(frame, 0, 2), new ArraySegment<byte>(frame, 2, 2)]), Is.EqualTo(4));
        }
    }

    [Test]
    public async Task TryWriteNow_SocketDisposedByTheServer_ReportsBrokenInsteadOfThrowing()
    {
        var (server, peer) = await ConnectedPairAsync();
        using (peer)
        {
            var writer = new SocketWireWriter(server);
            server.Dispose();
            byte[] frame = [0x82, 0x00];

            Assert.That(writer.TryWriteNow(frame), Is.EqualTo(-1));
            Assert.That(writer.TryWriteNow([new ArraySegment<byte>(frame)]), Is.EqualTo(-1));
        }
    }
}
