using System.Net.WebSockets;
using WsAudio.Protocol;
using WsAudio.Protocol.Framing;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

/// <summary>
/// The bytes on the wire: messages written straight to the socket, the WebSocket's own pings, pongs and closes
/// between them, and large rooms fanned out over several threads.
/// </summary>
public sealed class WireTests
{
    [Test]
    public async Task Listener_PingingConstantlyWhileAudioFlows_GetsEveryFrameWholeAndStaysConnected()
    {
        await using var server = await RelayServer.StartAsync();
        await using var broadcaster = await TestClient.ConnectAsync(server.WebSocketUri);
        uint stream = (await broadcaster.JoinAsync("pings", ParticipantRole.Broadcaster)).StreamId!.Value;

        // A keep-alive timeout makes the client send WebSocket pings (every 5 ms here), each answered by a pong that
        // the server writes between audio frames.
        await using var listener = await TestClient.ConnectAsync(server.WebSocketUri, configure: options =>
        {
            options.KeepAliveInterval = TimeSpan.FromMilliseconds(5);
            options.KeepAliveTimeout = TimeSpan.FromSeconds(5);
        });
        await listener.JoinAsync("pings", ParticipantRole.Listener);

        var sent = new List<byte[]>();
        for (uint i = 0; i < 300; i++)
        {
            var frame = Frames.Audio(stream, i, Frames.Payload(i, 40 + (int)(i % 200)));
            sent.Add(frame);
            await broadcaster.SendBinaryAsync(frame);
            if (i % 10 == 9)
            {
                // Paced now and then, so pings land between frames rather than all before them.
                for (int k = 0; k < 10; k++)
                {
                    await listener.NextAudioAsync();
                }
            }
        }

        var received = listener.Arrivals.OfType<byte[]>().ToList();

        Assert.Multiple(() =>
        {
            Assert.That(received, Is.EqualTo(sent), "every frame, in order, byte for byte");
            Assert.That(listener.Closed.IsCompleted, Is.False, "the pongs kept the connection alive");
        });
    }

    // A client that sends rarely waits for its next message without a receive buffer, and one is rented when the
    // message starts: a large frame in pieces right after the join (that path), then another at once (the buffer
    // kept, as for a speaker), both arrive whole.
    [Test]
    public async Task Speaker_LargeFramesInPiecesAfterItsJoin_ArriveWhole()
    {
        await using var server = await RelayServer.StartAsync();
        await using var speaker = await TestClient.ConnectAsync(server.WebSocketUri);
        uint stream = (await speaker.JoinAsync("large")).StreamId!.Value;
        await using var listener = await TestClient.ConnectAsync(server.WebSocketUri);
        await listener.JoinAsync("large", ParticipantRole.Listener);
        await speaker.NextAsync<ParticipantJoinedMessage>();

        var sent = new[] { Frames.Audio(stream, 0, Frames.Payload(0, 1200)), Frames.Audio(stream, 1, Frames.Payload(1, 1000)) };
        foreach (var frame in sent)
        {
            await speaker.SendFragmentedAsync(frame, WebSocketMessageType.Binary, pieces: 3);
        }

        Assert.That(await listener.NextAudioAsync(), Is.EqualTo(sent[0]));
        Assert.That(await listener.NextAudioAsync(), Is.EqualTo(sent[1]));
    }

    // An empty message is still a message: read whole by the wait that precedes a message's buffer.
    [Test]
    public async Task Client_EmptyTextMessage_IsReadAndRefusedAsNotJson()
    {
        await using var server = await RelayServer.StartAsync();
        await using var client = await TestClient.ConnectAsync(server.WebSocketUri);
        await client.JoinAsync("empty");

        await client.SendTextAsync("");

        var error = await client.ExpectAsync<ErrorMessage>();
        var (status, _) = await client.Closed.WaitAsync(Timeouts.Event);
        Assert.Multiple(() =>
        {
            Assert.That(error.Code, Is.EqualTo(ErrorCodes.InvalidJson));
            Assert.That(status, Is.EqualTo(WebSocketCloseStatus.InvalidPayloadData));
        });
    }

    [Test]
    public async Task EndOfStream_InARoomOf300Listeners_ReachesEveryoneBeforeItsStreamStopped()
    {
        await using var server = await RelayServer.StartAsync("--Limits:MaxConnectionsPerIp=0");
        await using var broadcaster = await TestClient.ConnectAsync(server.WebSocketUri);
        uint stream = (await broadcaster.JoinAsync("hall", ParticipantRole.Broadcaster)).StreamId!.Value;
        var listeners = await Task.WhenAll(Enumerable.Range(0, 300).Select(async _ =>
        {
            var client = await TestClient.ConnectAsync(server.WebSocketUri);
            await client.JoinAsync("hall", ParticipantRole.Listener);
            return client;
        }));
        try
        {
            // Three segments of receivers: each frame's fan-out is shared between this thread and the pool.
            for (uint i = 0; i < 20; i++)
            {
                await broadcaster.SendBinaryAsync(Frames.Audio(stream, i, Frames.Payload(i), flags: i == 19 ? FrameFlags.EndOfStream : FrameFlags.None));
            }

            foreach (var listener in listeners)
            {
                await listener.ExpectAsync<StreamStoppedMessage>();
                var arrivals = listener.Arrivals.ToList();
                var frames = arrivals.OfType<byte[]>().Select(Frames.SequenceOf).ToList();
                Assert.That(frames, Is.EqualTo(Enumerable.Range(0, 20).Select(i => (uint)i)), "every frame, in order");
                Assert.That(arrivals.FindIndex(m => m is StreamStoppedMessage), Is.GreaterThan(arrivals.FindLastIndex(m => m is byte[])), "the last frame before stream-stopped");
                Assert.That(arrivals.FindIndex(m => m is StreamStartedMessage), Is.LessThan(arrivals.FindIndex(m => m is byte[])), "stream-started before the first frame");
            }
        }
        finally
        {
            foreach (var listener in listeners)
            {
                await listener.DisposeAsync();
            }
        }
    }
}
