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

    // Below the copy limit the messages go out of one contiguous copy, above it as a vector: the same bytes either way.
    [TestCase(3, 80)]
    [TestCase(3, 1200)]
    public async Task GatheredWrite_SeveralMessages_ArriveAsTheirBytesInOrder(int messages, int length)
    {
        var (server, peer) = await ConnectedPairAsync();
        using (server)
        using (peer)
        {
            var writer = new SocketWireWriter(server);
            var segments = new List<ArraySegment<byte>>();
            var expected = new List<byte>();
            for (int m = 0; m < messages; m++)
            {
                byte[] message = new byte[length];
                for (int i = 0; i < length; i++)
                {
                    message[i] = (byte)(m * 31 + i);
                }

                segments.Add(new ArraySegment<byte>(message));
                expected.AddRange(message);
            }

            int sent = GatheredWrite.TryWriteNow(writer, segments, expected.Count);
            byte[] received = new byte[expected.Count];
            int read = 0;
            while (read < received.Length)
            {
                read += await peer.ReceiveAsync(received.AsMemory(read), SocketFlags.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            }

            Assert.Multiple(() =>
            {
                Assert.That(sent, Is.EqualTo(expected.Count));
                Assert.That(received, Is.EqualTo(expected.ToArray()));
            });
        }
    }
}
