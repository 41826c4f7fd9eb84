using System.Globalization;
using WsAudio.Audio;
using WsAudio.Audio.Wav;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Outputs;

/// <summary>
/// A tap gets a room's speech decoded to PCM for a speech recognizer: each speaker apart and labelled, or the mix,
/// on a timeline that keeps its length whatever is lost, and never at the expense of the room.
/// </summary>
public sealed class TapTests
{
    private const int TapRate = 16000;

    // 20 ms at the tap's rate.
    private const int Block = TapRate / 50;

    [Test]
    public async Task Tap_TwoSpeakersAtOnce_GetsEachVoiceApartAndTheirMix()
    {
        await using var server = await RelayServer.StartAsync();
        await using var perSpeaker = await TestClient.ConnectAsync(server.WebSocketUri);
        var tapJoined = await TapStreams.JoinAsync(perSpeaker, "tap-two", TapMode.PerSpeaker);
        await using var mixTap = await TestClient.ConnectAsync(server.WebSocketUri);
        await TapStreams.JoinAsync(mixTap, "tap-two", TapMode.Mix);
        await using var ada = await TestClient.ConnectAsync(server.WebSocketUri);
        var adaJoined = await ada.JoinAsync("tap-two", ParticipantRole.Speaker, "Ada");
        await using var bob = await TestClient.ConnectAsync(server.WebSocketUri);
        var bobJoined = await bob.JoinAsync("tap-two", ParticipantRole.Speaker, "Bob");

        float[] one = Speech.Samples48k();
        float[] other = WavReader.Read(Speech.OtherPath48k).ToMono48k();
        await PacedSpeech.SendAsync(new Voice(ada, adaJoined.StreamId!.Value, one), new Voice(bob, bobJoined.StreamId!.Value, other));
        var streams = await TapStreams.CollectAsync(perSpeaker, 2);
        float[] mix = await TapStreams.MixAsync(mixTap, streams.Max(s => s.Samples.Length) + (TapRate / 10));
        var mixStarted = await mixTap.ExpectAsync<StreamStartedMessage>();

        Assert.Multiple(() =>
        {
            Assert.That(tapJoined.Streams, Is.Empty, "a tap hears of streams from its own stream-started");
            Assert.That(adaJoined.Participants.Select(p => p.Name), Is.EqualTo(new[] { "Ada" }), "taps are not shown to members");
            Assert.That(bobJoined.Participants.Select(p => p.Name), Is.EquivalentTo(new[] { "Ada", "Bob" }));
            Assert.That(server.Rooms.Find("tap-two")!.Status().Taps, Is.EqualTo(2), "taps are counted apart");
            Assert.That(streams.Select(s => s.Started.Name), Is.EquivalentTo(new[] { "Ada", "Bob" }));
            Assert.That(mixStarted.StreamId, Is.Zero);
        });

        float[] one16 = Resampler.Convert(one, 48000, TapRate);
        float[] other16 = Resampler.Convert(other, 48000, TapRate);
        foreach (var stream in streams)
        {
            bool isAda = stream.Started.ParticipantId == adaJoined.ParticipantId;
            Assert.That(stream.Started.StreamId, Is.EqualTo(isAda ? adaJoined.StreamId : bobJoined.StreamId));
            var (own, foreign) = isAda ? (one16, other16) : (other16, one16);
            double withOwn = AudioCompare.Correlation(own, stream.Samples, AudioCompare.FindLag(own, stream.Samples, TapRate));
            double withOther = AudioCompare.Correlation(foreign, stream.Samples, AudioCompare.FindLag(foreign, stream.Samples, TapRate));
            TestContext.Out.WriteLine($"{stream.Started.Name}: {stream.Samples.Length} samples, correlation with own voice {withOwn:F3}, with the other {withOther:F3}");
            Assert.Multiple(() =>
            {
                Assert.That(withOwn, Is.GreaterThanOrEqualTo(0.9), $"{stream.Started.Name}'s stream is their voice");
                Assert.That(Math.Abs(withOther), Is.LessThan(0.3), $"{stream.Started.Name}'s stream holds nothing of the other voice");
            });
        }

        float[] sum = new float[mix.Length];
        Place(one16, AudioCompare.FindLag(one16, mix, TapRate), sum);
        Place(other16, AudioCompare.FindLag(other16, mix, TapRate), sum);
        double withSum = AudioCompare.Correlation(sum, mix, 0);
        TestContext.Out.WriteLine($"mix: correlation with the sum of both voices {withSum:F3}");
        Assert.That(withSum, Is.GreaterThanOrEqualTo(0.9));
    }

    [Test]
    public async Task Tap_TenPercentOfOneSpeakersFramesLost_KeepsTheTimelineAndAlignment()
    {
        await using var server = await RelayServer.StartAsync();
        await using var tap = await TestClient.ConnectAsync(server.WebSocketUri);
        await TapStreams.JoinAsync(tap, "tap-loss", TapMode.PerSpeaker);
        await using var lossy = await TestClient.ConnectAsync(server.WebSocketUri);
        var lossyJoined = await lossy.JoinAsync("tap-loss", ParticipantRole.Speaker, "Lossy");
        await using var clean = await TestClient.ConnectAsync(server.WebSocketUri);
        var cleanJoined = await clean.JoinAsync("tap-loss", ParticipantRole.Speaker, "Clean");

        float[] one = Speech.Samples48k();
        float[] other = WavReader.Read(Speech.OtherPath48k).ToMono48k();
        int frames = (one.Length + 959) / 960;
        var random = new Random(12);
        var lost = Enumerable.Range(1, frames - 2).Where(_ => random.NextDouble() < 0.1).ToHashSet();
        await PacedSpeech.SendAsync(new Voice(lossy, lossyJoined.StreamId!.Value, one, lost.Contains), new Voice(clean, cleanJoined.StreamId!.Value, other));
        var streams = await TapStreams.CollectAsync(tap, 2);

        var lossyStream = streams.Single(s => s.Started.Name == "Lossy");
        var cleanStream = streams.Single(s => s.Started.Name == "Clean");
        float[] one16 = Resampler.Convert(one, 48000, TapRate);
        float[] other16 = Resampler.Convert(other, 48000, TapRate);
        int lossyLag = AudioCompare.FindLag(one16, lossyStream.Samples, TapRate);
        int cleanLag = AudioCompare.FindLag(other16, cleanStream.Samples, TapRate);
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{lost.Count} of {frames} frames lost; lossy stream {lossyStream.Samples.Length} samples (sent {frames * Block}), lag {lossyLag}; clean lag {cleanLag}; correlation {AudioCompare.Correlation(one16, lossyStream.Samples, lossyLag):F3}"));
        Assert.Multiple(() =>
        {
            Assert.That(lost.Count, Is.InRange(frames / 20, frames / 5), "about one frame in ten is lost");
            Assert.That(lossyStream.Samples.Length, Is.EqualTo(frames * Block).Within(Block), "the lossy stream keeps its length");
            Assert.That(lossyLag, Is.EqualTo(cleanLag).Within(Block), "and stays in step with the other speaker");
            Assert.That(lossyStream.Stopped.Reason, Is.EqualTo(StreamStopReason.EndOfStream));
        });
    }

    [Test]
    public async Task Tap_ThatNeverReads_LosesItsOwnOldestAudioAndNothingOfTheRooms()
    {
        // Small kernel buffers on both sides, so that the stalled tap's backlog reaches its queue within seconds.
        await using var server = await RelayServer.StartAsync("--queue-depth", "16", "--Limits:SlowConsumerTimeout=01:00:00", "--Network:SendBufferBytes=16384");
        await using var stalled = await TestClient.ConnectAsync(server.WebSocketUri, receiveBufferBytes: 4096);
        await TapStreams.JoinAsync(stalled, "tap-stall", TapMode.PerSpeaker, sampleRate: 48000);
        await using var listener = await TestClient.ConnectAsync(server.WebSocketUri);
        await listener.JoinAsync("tap-stall", ParticipantRole.Listener);
        await using var ada = await TestClient.ConnectAsync(server.WebSocketUri);
        var adaJoined = await ada.JoinAsync("tap-stall", ParticipantRole.Speaker, "Ada");
        await using var bob = await TestClient.ConnectAsync(server.WebSocketUri);
        var bobJoined = await bob.JoinAsync("tap-stall", ParticipantRole.Speaker, "Bob");
        stalled.PauseReading();

        float[] one = Speech.Samples48k();
        float[] other = WavReader.Read(Speech.OtherPath48k).ToMono48k();
        await PacedSpeech.SendAsync(new Voice(ada, adaJoined.StreamId!.Value, one), new Voice(bob, bobJoined.StreamId!.Value, other));
        int expected = ((one.Length + 959) / 960) + ((other.Length + 959) / 960);
        var received = new List<byte[]>();
        while (received.Count < expected)
        {
            received.Add(await listener.NextAudioAsync());
        }

        var dropped = await ReadMetricAsync(server, "wsaudio_tap_frames_dropped_total");

        TestContext.Out.WriteLine($"listener got {received.Count} frames; the stalled tap lost {dropped}");
        Assert.Multiple(() =>
        {
            foreach (uint stream in new[] { adaJoined.StreamId!.Value, bobJoined.StreamId!.Value })
            {
                var sequences = received.Where(f => Frames.StreamIdOf(f) == stream).Select(Frames.SequenceOf).ToList();
                Assert.That(sequences, Is.EqualTo(Enumerable.Range(0, sequences.Count).Select(i => (uint)i)), "the listener got every frame, in order");
            }

            Assert.That(dropped, Is.GreaterThan(0), "the tap's own queue dropped its oldest audio");
            Assert.That(server.Rooms.Find("tap-stall")!.Dropped, Is.Zero, "nothing of the room's fan-out was dropped");
        });
    }

    [Test]
    public async Task Join_AsTapWithStereoOrOpus_IsRefusedWithInvalidFormat()
    {
        await using var server = await RelayServer.StartAsync();
        await using var tap = await TestClient.ConnectAsync(server.WebSocketUri);
        await tap.SendAsync(new JoinMessage { Room = "tap-format", Role = ParticipantRole.Tap, Format = new AudioFormat { Codec = AudioCodec.Pcm16, SampleRate = 16000, Channels = 2 } });
        var stereo = await tap.NextAsync<ErrorMessage>();
        await tap.SendAsync(new JoinMessage { Room = "tap-format", Role = ParticipantRole.Tap, Format = AudioFormat.Default });
        var opus = await tap.NextAsync<ErrorMessage>();
        await tap.SendAsync(new JoinMessage { Room = "tap-format", Role = ParticipantRole.Tap, Format = new AudioFormat { Codec = AudioCodec.Pcm16, SampleRate = 22050, Channels = 1 } });
        var rate = await tap.NextAsync<ErrorMessage>();
        Assert.Multiple(() =>
        {
            Assert.That(new[] { stereo.Code, opus.Code, rate.Code }, Is.All.EqualTo(ErrorCodes.InvalidFormat));
            Assert.That(rate.Message, Does.Contain("8000, 16000, 24000, 48000"));
        });
    }

    private static async Task<long> ReadMetricAsync(RelayServer server, string name)
    {
        using var http = new HttpClient();
        string text = await http.GetStringAsync(new Uri(server.HttpUri, "metrics"));
        string line = text.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return long.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
    }

    // output[i + lag] += signal[i]
    private static void Place(float[] signal, int lag, float[] output)
    {
        for (int i = 0; i < signal.Length; i++)
        {
            if (i + lag >= 0 && i + lag < output.Length)
            {
                output[i + lag] += signal[i];
            }
        }
    }
}
