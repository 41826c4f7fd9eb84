using System.Diagnostics;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Radio;

/// <summary>A source whose Ogg is broken ends with its reason logged; the server and every other room go on.</summary>
public sealed class SourceStreamTests
{
    // Source event: ended, with its reason.
    private const int SourceEnded = 44;

    [TestCase("crc", "fails its CRC check", true)]
    [TestCase("truncated", "the stream ends inside a page", true)]
    [TestCase("flac", "carries FLAC, not Opus", false)]
    public async Task Source_WithBrokenOgg_EndsWithItsReasonAndOtherRoomsLoseNothing(string harm, string reason, bool goesLive)
    {
        await using var server = await RelayServer.StartAsync();
        await using var background = await BackgroundRoom.StartAsync(server.WebSocketUri, "icecast-bystander");
        string room = $"icecast-{harm}";
        await using var watcher = await TestClient.ConnectAsync(server.WebSocketUri);
        await watcher.JoinAsync(room, ParticipantRole.Listener);

        byte[] ogg = harm == "flac" ? Flac() : await File.ReadAllBytesAsync(Speech.OggOpusPath);
        int page = harm == "flac" ? 0 : OggFile.PageStart(ogg, 12);
        if (harm == "crc")
        {
            ogg[page + 40] ^= 0x5A;
        }
        else if (harm == "truncated")
        {
            ogg = ogg[..(page + 30)];
        }

        await using var source = await RawSource.ConnectAsync(server.HttpUri);
        var answer = await source.StartAsync("PUT", $"/rooms/{room}", "source", "x");
        await source.WriteAsync(ogg);
        source.EndBody();

        var ended = await server.Logs.WaitForAsync(e => e.EventId.Id == SourceEnded && e.Message.Contains(room, StringComparison.Ordinal));
        await background.AssertFlowingAsync();
        Assert.Multiple(() =>
        {
            Assert.That(answer.Answer, Does.StartWith("HTTP/1.1 100 Continue"));
            Assert.That(ended.Message, Does.Contain(reason));
            Assert.That(server.Logs.Entries.Count(e => e.EventId.Id == SourceEnded && e.Message.Contains(room, StringComparison.Ordinal)), Is.EqualTo(1), "logged once");
        });
        if (goesLive)
        {
            // Eleven pages of audio were good: they were played, then the stream stopped.
            var started = await watcher.ExpectAsync<StreamStartedMessage>();
            var stopped = await watcher.ExpectAsync<StreamStoppedMessage>();
            Assert.That((stopped.StreamId, stopped.Reason), Is.EqualTo((started.StreamId, StreamStopReason.Disconnected)));
        }
    }

    [Test]
    public async Task Source_ChainedOggStream_PlaysOnAsOneStreamWithTheNewTitle()
    {
        await using var server = await RelayServer.StartAsync();
        await using var watcher = await TestClient.ConnectAsync(server.WebSocketUri);
        await watcher.JoinAsync("icecast-chain", ParticipantRole.Listener);
        using var http = new HttpClient { BaseAddress = server.HttpUri, Timeout = Timeout.InfiniteTimeSpan };
        using var events = new StreamReader(await http.GetStreamAsync("/rooms/icecast-chain/events"));

        // Two Ogg Opus files one after the other are a chained stream: what a source sends when the track changes.
        byte[] first = await File.ReadAllBytesAsync(Speech.OggOpusPath);
        byte[] second = Encode("Second part");
        await using var source = await RawSource.ConnectAsync(server.HttpUri);
        await source.StartAsync("PUT", "/rooms/icecast-chain", "source", "x");
        await source.WriteAsync(first.Concat(second).ToArray());
        source.EndBody();

        var started = await watcher.ExpectAsync<StreamStartedMessage>();
        int expected = OggFile.AudioPackets(first) + OggFile.AudioPackets(second);
        var sequences = new List<uint>();
        while (sequences.Count < expected)
        {
            sequences.Add(Frames.SequenceOf(await watcher.NextAudioAsync()));
        }

        await watcher.ExpectAsync<StreamStoppedMessage>();

        string titles = await ReadEventsAsync(events, "Second part");
        Assert.Multiple(() =>
        {
            Assert.That(watcher.Arrivals.OfType<StreamStartedMessage>().Count(), Is.EqualTo(1), "one stream through the chain");
            Assert.That(sequences, Is.EqualTo(Enumerable.Range(0, expected).Select(i => (uint)i)), "both parts, every packet, in order");
            Assert.That(titles, Does.Contain("\"title\":\"Speech test\"").And.Contain("event: title\ndata: {\"title\":\"Second part\"}"));
        });
    }

    // The events up to the first that names the title.
    private static async Task<string> ReadEventsAsync(StreamReader events, string title)
    {
        var text = new System.Text.StringBuilder();
        using var timeout = new CancellationTokenSource(Timeouts.Event);
        while (!text.ToString().Contains($"\"title\":\"{title}\"", StringComparison.Ordinal))
        {
            text.AppendLine(await events.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException());
        }

        return text.ToString();
    }

    private static byte[] Encode(string title)
    {
        string file = Path.Combine(TestContext.CurrentContext.WorkDirectory, "second.opus");
        Tool.Run("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-i", Speech.Path48k, "-c:a", "libopus", "-page_duration", "20000", "-metadata", $"title={title}", "-y", file);
        return File.ReadAllBytes(file);
    }

    // One second of a tone as FLAC in Ogg, by ffmpeg: a valid Ogg stream of the wrong codec.
    private static byte[] Flac()
    {
        string file = Path.Combine(TestContext.CurrentContext.WorkDirectory, "tone.oga");
        Tool.Run("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "sine=d=1", "-c:a", "flac", "-f", "ogg", "-y", file);
        return File.ReadAllBytes(file);
    }
}
