using WsAudio.Protocol;
using WsAudio.Protocol.Framing;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

public sealed class StreamStatusTests : RelayFixture
{
    [Test]
    public async Task FirstFrame_OfABroadcaster_AnnouncesStreamStartedBeforeTheFrame()
    {
        await using var listener = await TestClient.ConnectAsync(Url);
        await listener.JoinAsync("status-1", ParticipantRole.Listener);
        await using var broadcaster = await TestClient.ConnectAsync(Url);
        var format = new AudioFormat { Codec = AudioCodec.Pcm16, SampleRate = 16000, Channels = 2 };
        var joined = await broadcaster.JoinAsync("status-1", ParticipantRole.Broadcaster, "Radio", format);
        await listener.NextAsync<ParticipantJoinedMessage>();

        await broadcaster.SendBinaryAsync(Frames.Audio(joined.StreamId!.Value, 0, Frames.Payload(0), AudioCodec.Pcm16));
        await listener.NextAudioAsync();

        Assert.That(listener.Arrivals[^2], Is.InstanceOf<StreamStartedMessage>(), "stream-started must precede the first frame");
        var started = (StreamStartedMessage)listener.Arrivals[^2];
        Assert.Multiple(() =>
        {
            Assert.That(started.StreamId, Is.EqualTo(joined.StreamId));
            Assert.That(started.ParticipantId, Is.EqualTo(joined.ParticipantId));
            Assert.That(started.Format, Is.EqualTo(format));
        });
        Assert.That((await broadcaster.NextAsync<StreamStartedMessage>()).StreamId, Is.EqualTo(joined.StreamId), "the sender learns it is live too");
    }

    [Test]
    public async Task EndOfStreamFlag_IsForwardedThenStreamStoppedFollows()
    {
        await using var listener = await TestClient.ConnectAsync(Url);
        await listener.JoinAsync("status-2", ParticipantRole.Listener);
        await using var broadcaster = await TestClient.ConnectAsync(Url);
        var joined = await broadcaster.JoinAsync("status-2", ParticipantRole.Broadcaster);
        uint stream = joined.StreamId!.Value;

        await broadcaster.SendBinaryAsync(Frames.Audio(stream, 0, Frames.Payload(0)));
        await broadcaster.SendBinaryAsync(Frames.Audio(stream, 1, [], flags: FrameFlags.EndOfStream));
        var stopped = await listener.ExpectAsync<StreamStoppedMessage>();

        Assert.That((stopped.StreamId, stopped.Reason), Is.EqualTo((stream, StreamStopReason.EndOfStream)));
        var audio = listener.Arrivals.OfType<byte[]>().ToList();
        Assert.That(audio.Select(Frames.SequenceOf), Is.EqualTo(new uint[] { 0, 1 }), "both frames, the end-of-stream one included, arrive before stream-stopped");
    }

    [Test]
    public async Task FrameAfterEndOfStream_StartsTheStreamAgain()
    {
        await using var listener = await TestClient.ConnectAsync(Url);
        await listener.JoinAsync("status-3", ParticipantRole.Listener);
        await using var broadcaster = await TestClient.ConnectAsync(Url);
        uint stream = (await broadcaster.JoinAsync("status-3", ParticipantRole.Broadcaster)).StreamId!.Value;

        await broadcaster.SendBinaryAsync(Frames.Audio(stream, 0, [], flags: FrameFlags.EndOfStream));
        await broadcaster.SendBinaryAsync(Frames.Audio(stream, 1, Frames.Payload(1)));

        await listener.ExpectAsync<StreamStartedMessage>();
        await listener.NextAsync<StreamStoppedMessage>();
        await listener.NextAsync<StreamStartedMessage>();
        Assert.That(Frames.SequenceOf(await listener.NextAudioAsync()), Is.Zero);
        Assert.That(Frames.SequenceOf(await listener.NextAudioAsync()), Is.EqualTo(1));
    }

    [Test]
    public async Task Join_RoomThatIsAlreadyLive_ListsTheLiveStreamThenDeliversItsAudio()
    {
        await using var broadcaster = await TestClient.ConnectAsync(Url);
        var joined = await broadcaster.JoinAsync("status-4", ParticipantRole.Broadcaster, "Radio");
        uint stream = joined.StreamId!.Value;
        await broadcaster.SendBinaryAsync(Frames.Audio(stream, 0, Frames.Payload(0)));
        await broadcaster.NextAsync<StreamStartedMessage>();

        await using var listener = await TestClient.ConnectAsync(Url);
        var listenerJoined = await listener.JoinAsync("status-4", ParticipantRole.Listener);
        await broadcaster.SendBinaryAsync(Frames.Audio(stream, 1, Frames.Payload(1)));

        var live = listenerJoined.Streams.Single();
        Assert.Multiple(() =>
        {
            Assert.That(live.StreamId, Is.EqualTo(stream));
            Assert.That(live.ParticipantId, Is.EqualTo(joined.ParticipantId));
            Assert.That(live.Format, Is.EqualTo(AudioFormat.Default));
        });
        // Frame 0 comes first when the server still had it within its join burst (Presence:JoinBurst, 40 ms).
        var frame = await listener.NextAudioAsync();
        if (Frames.SequenceOf(frame) == 0)
        {
            Assert.That(frame, Is.EqualTo(Frames.Audio(stream, 0, Frames.Payload(0))));
            frame = await listener.NextAudioAsync();
        }

        Assert.That(frame, Is.EqualTo(Frames.Audio(stream, 1, Frames.Payload(1))));
        Assert.That(listener.Arrivals.OfType<StreamStartedMessage>(), Is.Empty, "a joiner learns liveness from joined, not again");
    }

    [Test]
    public async Task Disconnect_OfALiveSender_StopsTheStreamThenAnnouncesTheLeave()
    {
        await using var listener = await TestClient.ConnectAsync(Url);
        await listener.JoinAsync("status-5", ParticipantRole.Listener);
        var broadcaster = await TestClient.ConnectAsync(Url);
        var joined = await broadcaster.JoinAsync("status-5", ParticipantRole.Broadcaster);
        await broadcaster.SendBinaryAsync(Frames.Audio(joined.StreamId!.Value, 0, Frames.Payload(0)));
        await listener.ExpectAsync<StreamStartedMessage>();

        await broadcaster.DisposeAsync();

        var stopped = await listener.NextAsync<StreamStoppedMessage>();
        Assert.That(stopped.Reason, Is.EqualTo(StreamStopReason.Disconnected));
        Assert.That((await listener.NextAsync<ParticipantLeftMessage>()).ParticipantId, Is.EqualTo(joined.ParticipantId));
    }

    [Test]
    public async Task Leave_OfALiveSender_StopsTheStreamWithReasonLeft()
    {
        await using var listener = await TestClient.ConnectAsync(Url);
        await listener.JoinAsync("status-6", ParticipantRole.Listener);
        await using var speaker = await TestClient.ConnectAsync(Url);
        var joined = await speaker.JoinAsync("status-6");
        await speaker.SendBinaryAsync(Frames.Audio(joined.StreamId!.Value, 0, Frames.Payload(0)));
        await listener.ExpectAsync<StreamStartedMessage>();

        await speaker.SendAsync(new LeaveMessage());

        Assert.That((await listener.NextAsync<StreamStoppedMessage>()).Reason, Is.EqualTo(StreamStopReason.Left));
        Assert.That((await listener.NextAsync<ParticipantLeftMessage>()).Reason, Is.EqualTo(LeaveReason.Left));
    }

    [Test]
    public async Task Silence_LongerThanIdleTimeout_StopsTheStreamAsIdle()
    {
        await using var server = await RelayServer.StartAsync("--idle-timeout", "00:00:00.300");
        await using var listener = await TestClient.ConnectAsync(server.WebSocketUri);
        await listener.JoinAsync("status-7", ParticipantRole.Listener);
        await using var broadcaster = await TestClient.ConnectAsync(server.WebSocketUri);
        uint stream = (await broadcaster.JoinAsync("status-7", ParticipantRole.Broadcaster)).StreamId!.Value;

        await broadcaster.SendBinaryAsync(Frames.Audio(stream, 0, Frames.Payload(0)));

        await listener.ExpectAsync<StreamStartedMessage>();
        var stopped = await listener.ExpectAsync<StreamStoppedMessage>();
        Assert.That((stopped.StreamId, stopped.Reason), Is.EqualTo((stream, StreamStopReason.Idle)));

        await using var late = await TestClient.ConnectAsync(server.WebSocketUri);
        Assert.That((await late.JoinAsync("status-7", ParticipantRole.Listener)).Streams, Is.Empty, "an idle stream is not listed as live");
    }
}
