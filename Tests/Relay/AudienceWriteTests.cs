using System.Diagnostics;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

/// <summary>
/// <c>Presence:AudienceWriteInterval</c>: the audience's frames are gathered into fewer writes, every frame still
/// arriving, in order, while listed members get each frame at once.
/// </summary>
public sealed class AudienceWriteTests
{
    // Arrivals further apart than this came in different writes: 20 ms frames written one by one arrive about 20 ms
    // apart, frames written together within microseconds.
    private static readonly TimeSpan SameWrite = TimeSpan.FromMilliseconds(8);

    [Test]
    public async Task AudienceWriteInterval_Speech_ReachesTheAudienceWholeInFewerWrites()
    {
        await using var server = await RelayServer.StartAsync(
            "--Presence:ListedListeners=1", "--Presence:AudienceWriteInterval=00:00:00.200", "--Presence:AudienceMemberUpdateInterval=00:10:00");
        await using var speaker = await TestClient.ConnectAsync(server.WebSocketUri);
        var speakerJoined = await speaker.JoinAsync("town-hall", ParticipantRole.Speaker, "Mayor");
        await using var listed = await TestClient.ConnectAsync(server.WebSocketUri);
        await listed.JoinAsync("town-hall", ParticipantRole.Listener, "front row");
        await using var audience = await TestClient.ConnectAsync(server.WebSocketUri);
        var audienceJoined = await audience.JoinAsync("town-hall", ParticipantRole.Listener, "back row");
        Assert.That(audienceJoined.Audience, Is.EqualTo(1), "the second listener is audience");

        float[] speech = Speech.Samples48k();
        int frames = (speech.Length + 959) / 960;
        await PacedSpeech.SendAsync(new Voice(speaker, speakerJoined.StreamId!.Value, speech));
        var heardByAudience = await ReceiveAsync(audience, frames);
        await ReceiveAsync(listed, frames);
        await audience.ExpectAsync<StreamStoppedMessage>();
        var arrivals = audience.Arrivals;
        int stopped = arrivals.ToList().FindIndex(a => a is StreamStoppedMessage);
        int lastFrame = arrivals.ToList().FindLastIndex(a => a is byte[]);

        int audienceWrites = Writes(audience.AudioTimestamps);
        int listedWrites = Writes(listed.AudioTimestamps);
        float[] decoded = Frames.DecodeOpus(heardByAudience);
        double correlation = AudioCompare.Correlation(speech, decoded, AudioCompare.FindLag(speech, decoded, 4800));
        TestContext.Out.WriteLine($"{frames} frames: the audience member got them in {audienceWrites} writes, the listed listener in {listedWrites}; correlation {correlation:F3}");
        Assert.Multiple(() =>
        {
            Assert.That(heardByAudience.Select(Frames.SequenceOf), Is.EqualTo(Enumerable.Range(0, frames).Select(i => (uint)i)), "every frame, in order");
            Assert.That(correlation, Is.GreaterThanOrEqualTo(0.9), "the speech as sent");
            Assert.That(stopped, Is.GreaterThan(lastFrame), "stream-stopped follows the stream's last frame, which was held");

            // At 200 ms, ten frames a write; one write per frame if nothing held them.
            Assert.That(audienceWrites, Is.LessThanOrEqualTo(frames / 4), "the audience's frames came several to a write");
        });
    }

    [Test]
    public async Task AudienceWriteInterval_SenderGoesQuiet_HeldFramesStillArrive()
    {
        // No idle stop for an hour: only the held-audience timer can write the last frames.
        await using var server = await RelayServer.StartAsync(
            "--Presence:ListedListeners=0", "--Presence:AudienceWriteInterval=00:00:00.100", "--idle-timeout", "01:00:00");
        await using var speaker = await TestClient.ConnectAsync(server.WebSocketUri);
        var speakerJoined = await speaker.JoinAsync("quiet", ParticipantRole.Speaker);
        await using var audience = await TestClient.ConnectAsync(server.WebSocketUri);
        await audience.JoinAsync("quiet", ParticipantRole.Listener);
        await speaker.ExpectAsync<AudienceMessage>(m => m.Count == 1);

        for (uint sequence = 0; sequence < 3; sequence++)
        {
            await speaker.SendBinaryAsync(Frames.Audio(speakerJoined.StreamId!.Value, sequence, Frames.Payload(sequence)));
        }

        var heard = await ReceiveAsync(audience, 3);
        Assert.That(heard.Select(Frames.SequenceOf), Is.EqualTo(new uint[] { 0, 1, 2 }));
    }

    private static async Task<List<byte[]>> ReceiveAsync(TestClient client, int count)
    {
        var frames = new List<byte[]>(count);
        while (frames.Count < count)
        {
            frames.Add(await client.NextAudioAsync());
        }

        return frames;
    }

    private static int Writes(IReadOnlyList<long> arrivals)
    {
        int writes = arrivals.Count > 0 ? 1 : 0;
        for (int i = 1; i < arrivals.Count; i++)
        {
            if (Stopwatch.GetElapsedTime(arrivals[i - 1], arrivals[i]) > SameWrite)
            {
                writes++;
            }
        }

        return writes;
    }
}
