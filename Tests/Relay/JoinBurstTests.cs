using WsAudio.Protocol;
using WsAudio.Protocol.Framing;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

/// <summary>
/// <c>Presence:JoinBurst</c>: a member that joins while a stream is live gets that stream's recent frames right after
/// its <c>joined</c>, then the live ones, each frame once and in order.
/// </summary>
public sealed class JoinBurstTests
{
    // The longest burst: frames sent a moment before a join are within it however slow the machine.
    private const string Burst = "--Presence:JoinBurst=00:00:01";

    [Test]
    public async Task Join_WhileAStreamIsLive_StartsWithItsRecentFramesThenTheLiveOnesOnce()
    {
        await using var server = await RelayServer.StartAsync(Burst);
        await using var room = await WitnessedRoom.OpenAsync(server, "live");
        var (speaker, stream, witness) = (room.Speaker, room.Stream, room.Witness);
        for (uint sequence = 0; sequence < 5; sequence++)
        {
            await speaker.SendBinaryAsync(Frames.Audio(stream, sequence, Frames.Payload(sequence)));
        }

        // The witness has them all, so the server has fanned them out before the late listener joins.
        for (int i = 0; i < 5; i++)
        {
            await witness.NextAudioAsync();
        }

        await using var late = await TestClient.ConnectAsync(server.WebSocketUri);
        var joined = await late.JoinAsync("live", ParticipantRole.Listener);
        var burst = new List<byte[]>();
        for (int i = 0; i < 5; i++)
        {
            burst.Add(await late.NextAudioAsync());
        }

        for (uint sequence = 5; sequence < 8; sequence++)
        {
            await speaker.SendBinaryAsync(Frames.Audio(stream, sequence, Frames.Payload(sequence)));
        }

        var live = new List<byte[]>();
        for (int i = 0; i < 3; i++)
        {
            live.Add(await late.NextAudioAsync());
        }

        var arrivals = late.Arrivals.ToList();
        Assert.Multiple(() =>
        {
            Assert.That(joined.Streams.Select(s => s.StreamId), Is.EqualTo(new[] { stream }), "joined names the live stream");
            Assert.That(arrivals.FindIndex(a => a is byte[]), Is.GreaterThan(arrivals.FindIndex(a => a is JoinedMessage)), "audio after joined");
            Assert.That(burst.Select(Frames.SequenceOf), Is.EqualTo(new uint[] { 0, 1, 2, 3, 4 }), "the recent frames, in order");
            Assert.That(burst[2].AsSpan(ProtocolConstants.HeaderSize).ToArray(), Is.EqualTo(Frames.Payload(2)), "as sent");
            Assert.That(live.Select(Frames.SequenceOf), Is.EqualTo(new uint[] { 5, 6, 7 }), "then the live ones, none twice");
        });
    }

    [Test]
    public async Task Join_AfterTheStreamStopped_GetsNoneOfItsFrames()
    {
        await using var server = await RelayServer.StartAsync(Burst);
        await using var room = await WitnessedRoom.OpenAsync(server, "ended");
        var (speaker, stream, witness) = (room.Speaker, room.Stream, room.Witness);
        await speaker.SendBinaryAsync(Frames.Audio(stream, 0, Frames.Payload(0)));
        await speaker.SendBinaryAsync(Frames.Audio(stream, 1, Frames.Payload(1), flags: FrameFlags.EndOfStream));
        await witness.ExpectAsync<StreamStoppedMessage>();

        await using var late = await TestClient.ConnectAsync(server.WebSocketUri);
        var joined = await late.JoinAsync("ended", ParticipantRole.Listener);
        await speaker.SendBinaryAsync(Frames.Audio(stream, 10, Frames.Payload(10)));
        await late.ExpectAsync<StreamStartedMessage>();

        Assert.Multiple(async () =>
        {
            Assert.That(joined.Streams, Is.Empty, "nothing live when it joined");
            Assert.That(Frames.SequenceOf(await late.NextAudioAsync()), Is.EqualTo(10u), "its first audio is the restarted stream's");
        });
    }

    [Test]
    public async Task Join_DuringSpeech_HearsEveryFrameFromItsFirstOnceInOrder()
    {
        await using var server = await RelayServer.StartAsync(Burst, "--Presence:ListedListeners=2");
        await using var room = await WitnessedRoom.OpenAsync(server, "talk");
        var (speaker, stream, witness) = (room.Speaker, room.Stream, room.Witness);

        float[] speech = Speech.Samples48k();
        int frames = (speech.Length + 959) / 960;
        var speaking = PacedSpeech.SendAsync(new Voice(speaker, stream, speech));

        // Joiners come one by one while the witness hears the speech: listed ones first, then the audience.
        var joiners = new List<(TestClient Client, int SeenByWitness)>();
        try
        {
            for (int seen = 1; seen <= frames; seen++)
            {
                await witness.NextAudioAsync();
                if (seen % 15 == 0 && seen < frames - 15)
                {
                    var joiner = await TestClient.ConnectAsync(server.WebSocketUri);
                    joiners.Add((joiner, seen));
                    await joiner.JoinAsync("talk", ParticipantRole.Listener);
                }
            }

            await speaking;
            Assert.That(joiners, Has.Count.GreaterThanOrEqualTo(4), "the speech is long enough for several joins");
            foreach (var (joiner, seenByWitness) in joiners)
            {
                var heard = new List<byte[]>();
                do
                {
                    heard.Add(await joiner.NextAudioAsync());
                }
                while (Frames.SequenceOf(heard[^1]) != frames - 1);

                uint first = Frames.SequenceOf(heard[0]);
                float[] decoded = Frames.DecodeOpus(heard);
                float[] sent = speech.AsSpan((int)first * 960).ToArray();
                double correlation = AudioCompare.Correlation(sent, decoded, AudioCompare.FindLag(sent, decoded, 960));
                TestContext.Out.WriteLine($"joined after frame {seenByWitness - 1}: first frame {first}, {heard.Count} frames, correlation {correlation:F3}");
                Assert.Multiple(() =>
                {
                    Assert.That(heard.Select(Frames.SequenceOf), Is.EqualTo(Enumerable.Range((int)first, frames - (int)first).Select(i => (uint)i)),
                        "every frame from its first on, once, in order");
                    Assert.That(first, Is.LessThanOrEqualTo((uint)(seenByWitness - 1)), "it started with frames sent before it joined");
                    Assert.That(correlation, Is.GreaterThanOrEqualTo(0.9), "the speech as sent");
                });
            }
        }
        finally
        {
            foreach (var (joiner, _) in joiners)
            {
                await joiner.DisposeAsync();
            }
        }
    }

    // A room with a speaker and a listener that witnesses what the room sends.
    private sealed record WitnessedRoom(TestClient Speaker, uint Stream, TestClient Witness) : IAsyncDisposable
    {
        public static async Task<WitnessedRoom> OpenAsync(RelayServer server, string room)
        {
            var speaker = await TestClient.ConnectAsync(server.WebSocketUri);
            uint stream = (await speaker.JoinAsync(room, ParticipantRole.Speaker)).StreamId!.Value;
            var witness = await TestClient.ConnectAsync(server.WebSocketUri);
            await witness.JoinAsync(room, ParticipantRole.Listener);
            return new WitnessedRoom(speaker, stream, witness);
        }

        public async ValueTask DisposeAsync()
        {
            await Witness.DisposeAsync();
            await Speaker.DisposeAsync();
        }
    }
}
