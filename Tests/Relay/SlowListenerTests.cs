using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

public sealed class SlowListenerTests
{
    // Held: everyone is audience and gets its frames gathered, written straight from the flush while it keeps up.
    [TestCase(false)]
    [TestCase(true)]
    public async Task StalledListener_DoesNotDelayOthers_AndItsDropsAreCounted(bool held)
    {
        // The broadcaster floods on purpose and the test watches drops, not disconnection: limits that would end it are off.
        string[] gathered = held ? ["--Presence:ListedListeners=0", "--Presence:AudienceWriteInterval=00:00:00.010"] : [];
        await using var server = await RelayServer.StartAsync(
            ["--queue-depth", "16", "--Limits:MaxBytesPerSecond=0", "--Limits:MaxFramesPerSecond=0", "--Limits:SlowConsumerTimeout=01:00:00", .. gathered]);
        await using var stalled = await TestClient.ConnectAsync(server.WebSocketUri);
        await stalled.JoinAsync("slow", ParticipantRole.Listener, "stalled");
        await using var healthyA = await TestClient.ConnectAsync(server.WebSocketUri);
        await healthyA.JoinAsync("slow", ParticipantRole.Listener);
        await using var healthyB = await TestClient.ConnectAsync(server.WebSocketUri);
        await healthyB.JoinAsync("slow", ParticipantRole.Listener);
        await using var broadcaster = await TestClient.ConnectAsync(server.WebSocketUri);
        var format = new AudioFormat { Codec = AudioCodec.Pcm16, SampleRate = 48000, Channels = 2 };
        uint stream = (await broadcaster.JoinAsync("slow", ParticipantRole.Broadcaster, format: format)).StreamId!.Value;
        var room = server.Rooms.Find("slow")!;

        stalled.PauseReading();

        // Large frames fill the stalled socket's kernel buffers within a few megabytes; from then on its queue
        // overflows. The healthy listeners must take every frame in step with the sender meanwhile.
        uint sent = 0;
        while (room.Dropped < 64)
        {
            Assert.That(sent, Is.LessThan(20_000), "the stalled listener's queue never overflowed");
            await broadcaster.SendBinaryAsync(Frames.Audio(stream, sent, Frames.Payload(sent, 8000), AudioCodec.Pcm16));
            foreach (var healthy in new[] { healthyA, healthyB })
            {
                Assert.That(Frames.SequenceOf(await healthy.NextAudioAsync()), Is.EqualTo(sent));
            }

            sent++;
        }

        stalled.ResumeReading();
        await stalled.SendAsync(new PingMessage { T = 7 });
        var pong = await stalled.ExpectAsync<PongMessage>();

        Assert.Multiple(() =>
        {
            Assert.That(pong.Dropped, Is.EqualTo(room.Dropped), "all drops in the room were the stalled listener's");
            Assert.That(room.FramesOut, Is.EqualTo(3 * sent));
        });
        // A frame the kernel took only in part is finished before anything else: every one arrives whole.
        var frames = stalled.Arrivals.OfType<byte[]>().ToList();
        Assert.That(frames.Where(f => !f.SequenceEqual(Frames.Audio(stream, Frames.SequenceOf(f), Frames.Payload(Frames.SequenceOf(f), 8000), AudioCodec.Pcm16))), Is.Empty);
        var received = frames.Select(Frames.SequenceOf).ToList();
        Assert.That(received, Is.Ordered.Ascending.And.Unique, "what the stalled listener does get stays in order");
        Assert.That(received.Count + pong.Dropped, Is.EqualTo(sent), "every frame is either delivered or counted as dropped");
        Assert.That(received[^1], Is.EqualTo(sent - 1), "drop-oldest keeps the newest frame");
    }
}
