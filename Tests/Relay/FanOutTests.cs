using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

public sealed class FanOutTests : RelayFixture
{
    // The 50-listener test sends 300 frames as fast as its listeners take them, faster than real time.
    private protected override string[] ServerArguments => ["--Limits:MaxFramesPerSecond=0"];

    [Test]
    public async Task Broadcast_To50Listeners_DeliversEveryFrameInOrderByteIdentical()
    {
        const int Listeners = 50;
        const int Frames = 300;
        const int Window = 25; // below the default queue depth, so a healthy listener never drops
        var listeners = new List<TestClient>();
        for (int i = 0; i < Listeners; i++)
        {
            var listener = await TestClient.ConnectAsync(Url);
            await listener.JoinAsync("fanout-50", ParticipantRole.Listener);
            listeners.Add(listener);
        }

        await using var broadcaster = await TestClient.ConnectAsync(Url);
        uint stream = (await broadcaster.JoinAsync("fanout-50", ParticipantRole.Broadcaster)).StreamId!.Value;
        var sent = new List<byte[]>();
        try
        {
            for (uint batch = 0; batch < Frames / Window; batch++)
            {
                for (uint i = 0; i < Window; i++)
                {
                    uint sequence = (batch * Window) + i;
                    var frame = Support.Frames.Audio(stream, sequence, Support.Frames.Payload(sequence, 40 + (int)(sequence % 120)));
                    sent.Add(frame);
                    await broadcaster.SendBinaryAsync(frame);
                }

                foreach (var listener in listeners)
                {
                    for (int i = 0; i < Window; i++)
                    {
                        var received = await listener.NextAudioAsync();
                        Assert.That(received, Is.EqualTo(sent[(int)(batch * Window) + i]));
                    }
                }
            }

            var room = Server.Rooms.Find("fanout-50")!;
            Assert.That(room.FramesOut, Is.EqualTo(Listeners * Frames));
            Assert.That(room.Dropped, Is.Zero);
        }
        finally
        {
            foreach (var listener in listeners)
            {
                await listener.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task Speakers_EachHearTheOtherButNeverThemselves()
    {
        await using var ada = await TestClient.ConnectAsync(Url);
        uint adaStream = (await ada.JoinAsync("fanout-self")).StreamId!.Value;
        await using var bo = await TestClient.ConnectAsync(Url);
        uint boStream = (await bo.JoinAsync("fanout-self")).StreamId!.Value;

        for (uint i = 0; i < 10; i++)
        {
            await ada.SendBinaryAsync(Frames.Audio(adaStream, i, Frames.Payload(i)));
            await bo.SendBinaryAsync(Frames.Audio(boStream, i, Frames.Payload(i + 100)));
        }

        foreach (var (client, own, other) in new[] { (ada, adaStream, boStream), (bo, boStream, adaStream) })
        {
            for (int i = 0; i < 10; i++)
            {
                Assert.That(StreamOf(await client.NextAudioAsync()), Is.EqualTo(other));
            }

            // The pong is queued behind anything the sender's own frames could have put in its queue.
            await client.SendAsync(new PingMessage { T = 1 });
            await client.ExpectAsync<PongMessage>();
            Assert.That(client.Arrivals.OfType<byte[]>().Count(f => StreamOf(f) == own), Is.Zero);
        }
    }

    [Test]
    public async Task Broadcaster_HearsNoOne()
    {
        await using var broadcaster = await TestClient.ConnectAsync(Url);
        await broadcaster.JoinAsync("fanout-broadcaster", ParticipantRole.Broadcaster);
        await using var speaker = await TestClient.ConnectAsync(Url);
        uint stream = (await speaker.JoinAsync("fanout-broadcaster")).StreamId!.Value;

        for (uint i = 0; i < 5; i++)
        {
            await speaker.SendBinaryAsync(Frames.Audio(stream, i, Frames.Payload(i)));
        }

        await speaker.SendAsync(new PingMessage { T = 1 });
        await speaker.ExpectAsync<PongMessage>(); // the speaker's frames have been fanned out
        await broadcaster.SendAsync(new PingMessage { T = 2 });
        await broadcaster.ExpectAsync<PongMessage>();

        Assert.That(broadcaster.Arrivals.OfType<byte[]>(), Is.Empty);
    }

    [Test]
    public async Task Muted_SendersFramesAreNotForwardedUntilUnmuted()
    {
        await using var listener = await TestClient.ConnectAsync(Url);
        await listener.JoinAsync("fanout-mute", ParticipantRole.Listener);
        await using var speaker = await TestClient.ConnectAsync(Url);
        uint stream = (await speaker.JoinAsync("fanout-mute")).StreamId!.Value;

        await speaker.SendAsync(new MuteMessage { Muted = true });
        await speaker.SendBinaryAsync(Frames.Audio(stream, 0, Frames.Payload(0)));
        await speaker.SendAsync(new MuteMessage { Muted = false });
        await speaker.SendBinaryAsync(Frames.Audio(stream, 1, Frames.Payload(1)));

        Assert.That(Frames.SequenceOf(await listener.NextAudioAsync()), Is.EqualTo(1), "frame 0 was sent while muted");
        Assert.That(listener.Arrivals.OfType<ParticipantMutedMessage>().Select(m => m.Muted), Is.EqualTo(new[] { true, false }));
    }

    [Test]
    public async Task Muted_FromTheFirstFrame_StreamStartsOnlyWithTheFirstFrameAfterUnmute()
    {
        await using var listener = await TestClient.ConnectAsync(Url);
        await listener.JoinAsync("fanout-mute-first", ParticipantRole.Listener);
        await using var speaker = await TestClient.ConnectAsync(Url);
        uint stream = (await speaker.JoinAsync("fanout-mute-first")).StreamId!.Value;

        await speaker.SendAsync(new MuteMessage { Muted = true });
        for (uint i = 0; i < 5; i++)
        {
            await speaker.SendBinaryAsync(Frames.Audio(stream, i, Frames.Payload(i)));
        }

        await speaker.SendAsync(new MuteMessage { Muted = false });
        await speaker.SendBinaryAsync(Frames.Audio(stream, 5, Frames.Payload(5)));

        Assert.That(Frames.SequenceOf(await listener.NextAudioAsync()), Is.EqualTo(5));
        var arrivals = listener.Arrivals.Where(m => m is StreamStartedMessage or ParticipantMutedMessage or byte[]).Select(m => m switch
        {
            StreamStartedMessage => "live",
            ParticipantMutedMessage muted => muted.Muted ? "muted" : "unmuted",
            _ => "frame",
        });
        Assert.That(arrivals, Is.EqualTo(new[] { "muted", "unmuted", "live", "frame" }), "no LIVE while muted, LIVE before the first frame heard");
    }

    [Test]
    public async Task Muted_EndOfStreamFlag_StillEndsTheLiveStreamWithoutForwardingTheFrame()
    {
        await using var listener = await TestClient.ConnectAsync(Url);
        await listener.JoinAsync("fanout-mute-eos", ParticipantRole.Listener);
        await using var speaker = await TestClient.ConnectAsync(Url);
        uint stream = (await speaker.JoinAsync("fanout-mute-eos")).StreamId!.Value;
        await speaker.SendBinaryAsync(Frames.Audio(stream, 0, Frames.Payload(0)));
        await listener.NextAudioAsync();

        await speaker.SendAsync(new MuteMessage { Muted = true });
        await speaker.SendBinaryAsync(Frames.Audio(stream, 1, [], flags: WsAudio.Protocol.Framing.FrameFlags.EndOfStream));

        var stopped = await listener.ExpectAsync<StreamStoppedMessage>();
        Assert.That(stopped.Reason, Is.EqualTo(StreamStopReason.EndOfStream));
        Assert.That(listener.Arrivals.OfType<byte[]>().Count(), Is.EqualTo(1), "the flagged frame of a muted sender is not forwarded");
    }

    private static uint StreamOf(byte[] frame)
    {
        WsAudio.Protocol.Framing.AudioFrameHeader.TryRead(frame, out var header);
        return header.StreamId;
    }
}
