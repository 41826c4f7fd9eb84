using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using WsAudio.Audio.Wav;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Server.Radio.Sources;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Radio;

/// <summary>
/// <c>/rooms/{room}/stream.ogg</c> as players meet it: ffmpeg plays it, opusinfo checks it, opusdec decodes it,
/// while the speech comes in over the WebSocket from <c>wsaudio send</c>.
/// </summary>
public sealed class ListenUrlTests
{
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(60);

    // Gathered: the player is in the room's audience, whose frames the server writes three or four at a time.
    [TestCase(false)]
    [TestCase(true)]
    public async Task ListenUrl_PlayedByFfmpeg_GivesTheBroadcastSpeech(bool gathered)
    {
        await using var server = await RelayServer.StartAsync(gathered ? ["--Presence:ListedListeners=1", "--Presence:AudienceWriteInterval=00:00:00.060"] : []);
        await using var watcher = await TestClient.ConnectAsync(server.WebSocketUri);
        await watcher.JoinAsync("radio-ffmpeg", ParticipantRole.Listener);
        float[] sent = Speech.Samples48k();
        string output = Path.Combine(TestContext.CurrentContext.WorkDirectory, "ffmpeg-heard.wav");

        // ffmpeg stops after the speech's length less a little, so it ends while the broadcast still plays.
        double seconds = (sent.Length / 48000.0) - 0.3;
        using var ffmpeg = Tool.Start("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-i", $"{server.HttpUri}rooms/radio-ffmpeg/stream.ogg",
            "-t", seconds.ToString("F2", System.Globalization.CultureInfo.InvariantCulture), "-ac", "1", "-ar", "48000", "-y", output);
        if (gathered)
        {
            await watcher.ExpectAsync<AudienceMessage>(m => m.Count == 1);
        }
        else
        {
            await watcher.ExpectAsync<ParticipantJoinedMessage>(m => m.Participant.Name == "HTTP listener");
        }

        await using var send = CliProcess.Start("send", "--url", server.WebSocketUri.ToString(), "--room", "radio-ffmpeg", "--file", Speech.Path48k, "--role", "broadcaster");
        await ffmpeg.WaitForExitAsync().WaitAsync(Run);
        Assert.That(ffmpeg.ExitCode, Is.Zero, await ffmpeg.StandardError.ReadToEndAsync());
        Assert.That(await send.WaitForExitAsync(Run), Is.Zero, send.Output);

        float[] heard = WavReader.Read(output).ToMono48k();
        int lag = AudioCompare.FindLag(sent, heard, 4800);
        double correlation = AudioCompare.Correlation(sent, heard, lag);
        TestContext.Out.WriteLine($"ffmpeg: {heard.Length} samples, lag {lag}, correlation {correlation:F4}");
        Assert.That(correlation, Is.GreaterThanOrEqualTo(0.9));
    }

    [Test]
    public async Task ListenUrl_AcrossABroadcasterStopAndStart_IsOneValidOggOpusStream()
    {
        await using var server = await RelayServer.StartAsync();
        await using var watcher = await TestClient.ConnectAsync(server.WebSocketUri);
        await watcher.JoinAsync("radio-ogg", ParticipantRole.Listener);
        using var http = new HttpClient { BaseAddress = server.HttpUri, Timeout = Timeout.InfiniteTimeSpan };
        using var response = await http.GetAsync("/rooms/radio-ogg/stream.ogg", HttpCompletionOption.ResponseHeadersRead);
        Assert.That((response.StatusCode, response.Content.Headers.ContentType?.MediaType), Is.EqualTo((HttpStatusCode.OK, "audio/ogg")));
        await watcher.ExpectAsync<ParticipantJoinedMessage>(m => m.Participant.Name == "HTTP listener");

        int frames = (Speech.Samples48k().Length + 959) / 960;
        using var reading = new CancellationTokenSource(Run);
        var ogg = ReadPagesAsync(await response.Content.ReadAsStreamAsync(), audioPages: 2 * frames, reading.Token);

        // One broadcast, OFFLINE, then another: the listener's Ogg stream goes on through both.
        for (int i = 0; i < 2; i++)
        {
            await using var send = CliProcess.Start("send", "--url", server.WebSocketUri.ToString(), "--room", "radio-ogg", "--file", Speech.Path48k, "--role", "broadcaster");
            Assert.That(await send.WaitForExitAsync(Run), Is.Zero, send.Output);
            await watcher.ExpectAsync<StreamStoppedMessage>();
        }

        string file = Path.Combine(TestContext.CurrentContext.WorkDirectory, "listen-url.opus");
        await File.WriteAllBytesAsync(file, await ogg);
        using var opusinfo = Tool.Start("opusinfo", file);
        string info = await opusinfo.StandardOutput.ReadToEndAsync() + await opusinfo.StandardError.ReadToEndAsync();
        await opusinfo.WaitForExitAsync();
        string decoded = Path.Combine(TestContext.CurrentContext.WorkDirectory, "listen-url.wav");
        using var opusdec = Tool.Start("opusdec", "--rate", "48000", file, decoded);
        string decodeErrors = await opusdec.StandardError.ReadToEndAsync();
        await opusdec.WaitForExitAsync();

        float[] speech = Speech.Samples48k();
        float[] heard = WavReader.Read(decoded).ToMono48k();
        int lag = AudioCompare.FindLag(speech, heard, 4800);
        double first = AudioCompare.Correlation(speech, heard, lag);
        var rest = heard.AsSpan(lag + speech.Length);
        double second = AudioCompare.Correlation(speech, rest, AudioCompare.FindLag(speech, rest, 4800));
        TestContext.Out.WriteLine($"opusdec: {heard.Length} samples; correlation {first:F4} and {second:F4}");
        Assert.Multiple(() =>
        {
            // A live stream has no end-of-stream page yet; opusinfo says so (and exits 1 for it). Nothing else.
            var complaints = info.Split('\n').Where(l => l.Contains("WARNING", StringComparison.OrdinalIgnoreCase) || l.Contains("ERROR", StringComparison.OrdinalIgnoreCase));
            Assert.That(complaints, Is.EqualTo(new[] { "WARNING: EOS not set on stream 1 (normal for live streams)" }), "CRCs, page sequence and granule positions as opusinfo checks them");
            Assert.That(info, Does.Contain("New logical stream").And.Contain("Pre-skip: 312"));
            Assert.That(opusdec.ExitCode, Is.Zero, decodeErrors);
            Assert.That(heard.Length, Is.EqualTo(2 * frames * 960 - 312).Within(960), "both broadcasts, every packet");
            Assert.That(first, Is.GreaterThanOrEqualTo(0.9), "the first broadcast");
            Assert.That(second, Is.GreaterThanOrEqualTo(0.9), "the second, in the same stream");
        });
    }

    [Test]
    public async Task ListenUrl_JoiningALiveBroadcast_StartsWithTheLastBurstOfItWrittenOnce()
    {
        await using var server = await RelayServer.StartAsync("--Radio:ListenBurst=00:00:02");
        await using var watcher = await TestClient.ConnectAsync(server.WebSocketUri);
        await watcher.JoinAsync("radio-burst", ParticipantRole.Listener);
        await using var send = CliProcess.Start("send", "--url", server.WebSocketUri.ToString(), "--room", "radio-burst", "--file", Speech.Path48k, "--role", "broadcaster");

        // 2.6 s into the broadcast: more than the burst has gone by.
        var heard = new List<byte[]>();
        while (heard.Count < 130)
        {
            heard.Add((await watcher.NextAudioAsync())[ProtocolConstants.HeaderSize..]);
        }

        int edge = heard.Count;
        using var http = new HttpClient { BaseAddress = server.HttpUri, Timeout = Timeout.InfiniteTimeSpan };
        using var response = await http.GetAsync("/rooms/radio-burst/stream.ogg", HttpCompletionOption.ResponseHeadersRead);
        var reader = new OggPacketReader(await response.Content.ReadAsStreamAsync(), maxPacket: 4096);
        using var reading = new CancellationTokenSource(Run);
        var head = await reader.ReadAsync(reading.Token);
        reader.Following = head!.Value.Serial;
        await reader.ReadAsync(reading.Token);
        var packets = new List<byte[]>();
        while (packets.Count < 80)
        {
            packets.Add((await reader.ReadAsync(reading.Token))!.Value.Data.ToArray());
        }

        while (heard.Count < edge + 80)
        {
            heard.Add((await watcher.NextAudioAsync())[ProtocolConstants.HeaderSize..]);
        }

        // Where the listen URL's first packet is in the broadcast: the first place all 80 packets match, in order.
        int first = Enumerable.Range(0, heard.Count - packets.Count + 1)
            .FirstOrDefault(s => packets.Select((p, i) => p.AsSpan().SequenceEqual(heard[s + i])).All(same => same), -1);
        TestContext.Out.WriteLine($"request after frame {edge}; the listen URL starts at frame {first}");
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.Not.EqualTo(-1), "80 packets in a row as the broadcast sent them: none lost, none twice");
            Assert.That(first, Is.LessThanOrEqualTo(edge - 50), "at least a second of the 2 s burst is from before the request");
            Assert.That(first, Is.GreaterThanOrEqualTo(edge - 110), "no more than the burst");
        });
    }

    [Test]
    public async Task ListenUrl_WithoutTheTokenAServerRequires_IsRefused401AndHeadAnswersWithoutJoining()
    {
        await using var server = await RelayServer.StartAsync(Tokens.ServerArguments);
        using var http = new HttpClient { BaseAddress = server.HttpUri };

        using var refused = await http.GetAsync("/rooms/radio-closed/stream.ogg");
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/rooms/radio-closed/stream.ogg?token={Tokens.For("radio-closed", "subscribe")}"));
        using var badRoom = await http.GetAsync("/rooms/-bad-/stream.ogg");

        Assert.Multiple(async () =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("\"code\""));
            Assert.That((head.StatusCode, head.Content.Headers.ContentType?.MediaType), Is.EqualTo((HttpStatusCode.OK, "audio/ogg")));
            Assert.That(server.Rooms.Find("radio-closed"), Is.Null, "a HEAD joins nothing");
            Assert.That(badRoom.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        });
    }

    // Reads Ogg pages until the header pages and audioPages audio pages have arrived; returns the bytes.
    private static async Task<byte[]> ReadPagesAsync(Stream body, int audioPages, CancellationToken cancellationToken)
    {
        var bytes = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int pages = 0;
        long parsed = 0;
        while (pages < audioPages + 2)
        {
            int read = await body.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                break;
            }

            bytes.Write(buffer, 0, read);
            var all = bytes.GetBuffer().AsSpan(0, (int)bytes.Length);
            while (all.Length - parsed >= 27)
            {
                var page = all[(int)parsed..];
                int segments = page[26];
                if (page.Length < 27 + segments)
                {
                    break;
                }

                int size = 27 + segments;
                for (int i = 0; i < segments; i++)
                {
                    size += page[27 + i];
                }

                if (page.Length < size)
                {
                    break;
                }

                Assert.That(BinaryPrimitives.ReadUInt32BigEndian(page), Is.EqualTo(0x4F676753), "OggS");
                parsed += size;
                pages++;
            }
        }

        return bytes.ToArray();
    }
}
