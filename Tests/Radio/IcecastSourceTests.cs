using System.Diagnostics;
using System.Net;
using System.Text.Json;
using WsAudio.Audio.Wav;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Radio;

/// <summary>
/// Broadcasting with the Icecast source protocol, as ffmpeg and curl do it: the speech reaches WebSocket and HTTP
/// listeners of the room, and refusals come as Icecast gives them.
/// </summary>
public sealed class IcecastSourceTests
{
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Source_FfmpegAsIcecastSource_ReachesWebSocketAndHttpListeners()
    {
        await using var server = await RelayServer.StartAsync();
        string room = "icecast-ffmpeg";
        await using var watcher = await TestClient.ConnectAsync(server.WebSocketUri);
        await watcher.JoinAsync(room, ParticipantRole.Listener);
        string wsOutput = Path.Combine(TestContext.CurrentContext.WorkDirectory, "icecast-ws.wav");
        string httpOutput = Path.Combine(TestContext.CurrentContext.WorkDirectory, "icecast-http.wav");
        await using var listen = CliProcess.Start("listen", "--url", server.WebSocketUri.ToString(), "--room", room, "--out", wsOutput, "-y", "--until-offline");
        await listen.WaitForLineAsync("joined");
        float[] sent = Speech.Samples48k();
        double seconds = (sent.Length / 48000.0) - 0.3;
        using var player = Tool.Start("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-i", $"{server.HttpUri}rooms/{room}/stream.ogg",
            "-t", seconds.ToString("F2", System.Globalization.CultureInfo.InvariantCulture), "-ac", "1", "-ar", "48000", "-y", httpOutput);
        await watcher.ExpectAsync<ParticipantJoinedMessage>(m => m.Participant.Name == "HTTP listener");

        var authority = server.HttpUri.Authority;
        using var source = Tool.Start("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-re", "-i", Speech.Path48k, "-c:a", "libopus",
            "-metadata", "title=Morning Show", "-content_type", "audio/ogg", "-ice_name", "Test FM", "-ice_genre", "Talk", "-f", "ogg",
            $"icecast://source:anything@{authority}/rooms/{room}");
        var started = await watcher.ExpectAsync<StreamStartedMessage>();
        using var http = new HttpClient { BaseAddress = server.HttpUri };
        using var status = JsonDocument.Parse(await http.GetStringAsync("/status-json.xsl"));
        var entry = status.RootElement.GetProperty("icestats").GetProperty("source").EnumerateArray().Single();
        string metrics = await http.GetStringAsync("/metrics");
        using var rooms = JsonDocument.Parse(await http.GetStringAsync("/api/rooms"));
        var members = rooms.RootElement.GetProperty("rooms")[0].GetProperty("members");

        await source.WaitForExitAsync().WaitAsync(Run);
        Assert.That(source.ExitCode, Is.Zero, await source.StandardError.ReadToEndAsync());
        var stopped = await watcher.ExpectAsync<StreamStoppedMessage>();
        await player.WaitForExitAsync().WaitAsync(Run);
        Assert.That(player.ExitCode, Is.Zero, await player.StandardError.ReadToEndAsync());
        Assert.That(await listen.WaitForExitAsync(Run), Is.Zero, listen.Output);

        double viaWebSocket = Correlate(sent, wsOutput, "WebSocket listener");
        double viaHttp = Correlate(sent, httpOutput, "HTTP listener");
        Assert.Multiple(() =>
        {
            Assert.That(viaWebSocket, Is.GreaterThanOrEqualTo(0.9), "wsaudio listen");
            Assert.That(viaHttp, Is.GreaterThanOrEqualTo(0.9), "ffmpeg playing the listen URL");
            Assert.That((started.Format.Codec, started.Format.Channels), Is.EqualTo((AudioCodec.Opus, 1)));
            Assert.That(stopped.StreamId, Is.EqualTo(started.StreamId));
            Assert.That(stopped.Reason, Is.EqualTo(StreamStopReason.Left), "the source ended its stream");
            Assert.That(entry.GetProperty("server_name").GetString(), Is.EqualTo("Test FM"), "from ice-name");
            Assert.That(entry.GetProperty("genre").GetString(), Is.EqualTo("Talk"), "from ice-genre");
            Assert.That(entry.GetProperty("title").GetString(), Is.EqualTo("Morning Show"), "from the stream's OpusTags");
            Assert.That(metrics, Does.Contain("\nwsaudio_icecast_sources 1\n").And.Contain("\nwsaudio_listen_url_listeners 1\n"));
            Assert.That((members.GetProperty("broadcasters").GetInt32(), members.GetProperty("icecastSources").GetInt32()), Is.EqualTo((1, 1)));
        });
    }

    [Test]
    public async Task Source_CurlWithAChunkedBody_IsPlayedWhole()
    {
        await using var server = await RelayServer.StartAsync();
        string room = "icecast-curl";
        await using var watcher = await TestClient.ConnectAsync(server.WebSocketUri);
        await watcher.JoinAsync(room, ParticipantRole.Listener);

        // Reading stdin, curl sends the body in chunks (no length known); -T sends PUT with Expect: 100-continue.
        var info = new ProcessStartInfo("sh") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in (string[])["-c", $"cat \"{Speech.OggOpusPath}\" | curl -sS --fail-with-body -T - -u source:x -H 'Content-Type: audio/ogg' {server.HttpUri}rooms/{room}"])
        {
            info.ArgumentList.Add(argument);
        }

        using var curl = Process.Start(info)!;
        var started = await watcher.ExpectAsync<StreamStartedMessage>();
        var frames = new List<byte[]>();
        int expected = OggFile.AudioPackets(await File.ReadAllBytesAsync(Speech.OggOpusPath));
        while (frames.Count < expected)
        {
            frames.Add(await watcher.NextAudioAsync());
        }

        await watcher.ExpectAsync<StreamStoppedMessage>();
        await curl.WaitForExitAsync().WaitAsync(Run);
        Assert.Multiple(async () =>
        {
            Assert.That(curl.ExitCode, Is.Zero, await curl.StandardError.ReadToEndAsync());
            Assert.That(frames.Select(Frames.SequenceOf), Is.EqualTo(Enumerable.Range(0, expected).Select(i => (uint)i)), "every packet, in order");
            Assert.That(frames.All(f => Frames.StreamIdOf(f) == started.StreamId), Is.True);
        });
    }

    [Test]
    public async Task Source_WithWrongCredentialsTypeOrRoom_IsRefusedAsIcecastDoes()
    {
        await using var server = await RelayServer.StartAsync([.. Tokens.ServerArguments, "--Radio:SourcePassword=hackme-2026"]);
        string publish = Tokens.For("icecast-closed", "publish");
        string subscribe = Tokens.For("icecast-closed", "subscribe");

        async Task<(int Status, string Answer)> TryAsync(string method, string path, string? user, string? password, string type = "audio/ogg")
        {
            await using var source = await RawSource.ConnectAsync(server.HttpUri);
            return await source.StartAsync(method, path, user, password, type);
        }

        var none = await TryAsync("PUT", "/rooms/icecast-closed", null, null);
        var wrong = await TryAsync("PUT", "/rooms/icecast-closed", "source", "not-it");
        var wrongUser = await TryAsync("PUT", "/rooms/icecast-closed", "admin", "hackme-2026");
        var listenOnly = await TryAsync("PUT", "/rooms/icecast-closed", "source", subscribe);
        var mpeg = await TryAsync("PUT", "/rooms/icecast-closed", "source", publish, "audio/mpeg");
        var badRoom = await TryAsync("PUT", "/rooms/-bad-", "source", publish);
        var mount = await TryAsync("SOURCE", "/stream", "source", "hackme-2026");

        await using var first = await RawSource.ConnectAsync(server.HttpUri);
        var accepted = await first.StartAsync("PUT", "/rooms/icecast-closed", "source", publish);
        var second = await TryAsync("PUT", "/rooms/icecast-closed", "source", "hackme-2026");
        await using var legacy = await RawSource.ConnectAsync(server.HttpUri);
        var old = await legacy.StartAsync("SOURCE", "/rooms/icecast-legacy", "source", "hackme-2026", expect: false);

        Assert.Multiple(() =>
        {
            Assert.That(none.Status, Is.EqualTo(401));
            Assert.That(none.Answer, Does.Contain("WWW-Authenticate: Basic").And.Contain("\"bad-credentials\""));
            Assert.That(wrong.Status, Is.EqualTo(401));
            Assert.That(wrong.Answer, Does.Contain("\"token-invalid\""), "neither the source password nor a token");
            Assert.That(wrongUser.Status, Is.EqualTo(401));
            Assert.That(listenOnly.Status, Is.EqualTo(403));
            Assert.That(listenOnly.Answer, Does.Contain("\"forbidden\""));
            Assert.That(mpeg.Status, Is.EqualTo(403));
            Assert.That(mpeg.Answer, Does.Contain("\"unsupported-content-type\"").And.Contain("-content_type audio/ogg"));
            Assert.That(badRoom.Status, Is.EqualTo(400));
            Assert.That(mount.Status, Is.EqualTo(404));
            Assert.That(mount.Answer, Does.Contain("\"unknown-mount\""));
            Assert.That(accepted.Answer, Does.StartWith("HTTP/1.1 100 Continue\r\n\r\n"));
            Assert.That(second.Status, Is.EqualTo(403));
            Assert.That(second.Answer, Does.Contain("\"source-in-use\""));
            Assert.That(old.Answer, Does.StartWith("HTTP/1.1 200 OK\r\n\r\n"), "a source that expects no 100 gets 200 at once");
        });
    }

    private static double Correlate(float[] sent, string file, string who)
    {
        float[] heard = WavReader.Read(file).ToMono48k();
        int lag = AudioCompare.FindLag(sent, heard, 4800);
        double correlation = AudioCompare.Correlation(sent, heard, lag);
        TestContext.Out.WriteLine($"{who}: {heard.Length} samples, lag {lag}, correlation {correlation:F4}");
        return correlation;
    }
}
