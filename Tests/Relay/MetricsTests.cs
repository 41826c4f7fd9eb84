using System.Globalization;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

public sealed class MetricsTests
{
    [Test]
    public async Task Metrics_AfterKnownTraffic_CountsItInPrometheusFormat()
    {
        await using var server = await RelayServer.StartAsync();
        await using var listenerA = await TestClient.ConnectAsync(server.WebSocketUri);
        await listenerA.JoinAsync("metrics", ParticipantRole.Listener);
        await using var listenerB = await TestClient.ConnectAsync(server.WebSocketUri);
        await listenerB.JoinAsync("metrics", ParticipantRole.Listener);
        await using var broadcaster = await TestClient.ConnectAsync(server.WebSocketUri);
        uint stream = (await broadcaster.JoinAsync("metrics", ParticipantRole.Broadcaster)).StreamId!.Value;

        for (uint i = 0; i < 10; i++)
        {
            await broadcaster.SendBinaryAsync(Frames.Audio(stream, i, Frames.Payload(i, 100)));
        }

        for (int i = 0; i < 10; i++)
        {
            await listenerA.NextAudioAsync();
            await listenerB.NextAudioAsync();
        }

        // The pong proves the send loops are past the frames (their metrics are updated after each write).
        await listenerA.SendAsync(new PingMessage { T = 1 });
        await listenerA.ExpectAsync<PongMessage>();
        await listenerB.SendAsync(new PingMessage { T = 1 });
        await listenerB.ExpectAsync<PongMessage>();
        var metrics = await ScrapeAsync(server);

        Assert.Multiple(() =>
        {
            Assert.That(metrics["wsaudio_connections"], Is.EqualTo(3));
            Assert.That(metrics["wsaudio_rooms"], Is.EqualTo(1));
            Assert.That(metrics["wsaudio_frames_received_total"], Is.EqualTo(10));
            Assert.That(metrics["wsaudio_frames_received_bytes_total"], Is.EqualTo(10 * (ProtocolConstants.HeaderSize + 100)));
            Assert.That(metrics["wsaudio_frames_sent_total"], Is.EqualTo(20));
            Assert.That(metrics["wsaudio_frames_sent_bytes_total"], Is.EqualTo(20 * (ProtocolConstants.HeaderSize + 100)));
            Assert.That(metrics["wsaudio_forward_latency_seconds_count"], Is.EqualTo(20), "one latency per delivered frame");
            Assert.That(metrics["wsaudio_forward_latency_seconds_bucket{le=\"+Inf\"}"], Is.EqualTo(20));
            Assert.That(metrics["wsaudio_frames_dropped_total"], Is.Zero);
            Assert.That(metrics["process_cpu_seconds_total"], Is.GreaterThan(0));
            Assert.That(metrics["process_resident_memory_bytes"], Is.GreaterThan(1_000_000));
        });
    }

    [Test]
    public async Task Metrics_CheckedByPromtool_AreCleanAndHaveTheProcessConventions()
    {
        await using var server = await RelayServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.HttpUri };
        string text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        using var promtool = Tool.Start("promtool", "check", "metrics");
        await promtool.StandardInput.WriteAsync(text);
        promtool.StandardInput.Close();
        string output = await promtool.StandardOutput.ReadToEndAsync() + await promtool.StandardError.ReadToEndAsync();
        await promtool.WaitForExitAsync();

        Assert.Multiple(() =>
        {
            Assert.That(promtool.ExitCode, Is.Zero, output);
            Assert.That(output.Trim(), Is.Empty, "promtool finds nothing to say");
            foreach (string name in new[] { "process_start_time_seconds", "process_open_fds", "process_max_fds", "process_cpu_seconds_total", "process_resident_memory_bytes", "dotnet_gc_pause_seconds_total" })
            {
                Assert.That(text, Does.Contain($"\n{name} "), name);
            }

            Assert.That(text, Does.Contain("wsaudio_build_info{version=\""));
        });
    }

    private static async Task<Dictionary<string, double>> ScrapeAsync(RelayServer server)
    {
        using var http = new HttpClient { BaseAddress = server.HttpUri };
        using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.That(response.Content.Headers.ContentType?.ToString(), Does.StartWith("text/plain; version=0.0.4"));
        string text = await response.Content.ReadAsStringAsync();
        var values = new Dictionary<string, double>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#'))
            {
                Assert.That(line, Does.Match(@"^# (HELP|TYPE) [a-z_]+ .+$"));
                continue;
            }

            int space = line.LastIndexOf(' ');
            values[line[..space]] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }

        return values;
    }
}
