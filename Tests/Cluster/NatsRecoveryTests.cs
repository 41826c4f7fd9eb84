using System.Diagnostics;
using System.Globalization;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Cluster;

/// <summary>
/// Nodes in processes of their own, as deployed, through restarts of nats-server: audio between them comes back
/// by itself every time, health tells the truth, losses are counted, and shutdown with NATS gone is clean.
/// </summary>
public sealed class NatsRecoveryTests
{
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(5);

    [Test]
    public async Task NatsRestartedTwentyTimes_AudioCrossesBothWaysWithinFiveSecondsOfItsReturnEveryTime()
    {
        await using var nats = await NatsServer.StartAsync();
        await using var a = await ServerProcess.StartAsync("--broker", nats.Url, "--Broker:NodeId=loop-a");
        await using var b = await ServerProcess.StartAsync("--broker", nats.Url, "--Broker:NodeId=loop-b");
        await NodeHealth.BrokerAsync(a.HttpUri, "connected");
        await NodeHealth.BrokerAsync(b.HttpUri, "connected");
        await using var onB = await TestClient.ConnectAsync(b.WebSocketUri);
        await onB.JoinAsync("a-to-b", ParticipantRole.Listener);
        await using var onA = await TestClient.ConnectAsync(a.WebSocketUri);
        await onA.JoinAsync("b-to-a", ParticipantRole.Listener);
        await using var fromA = await TestClient.ConnectAsync(a.WebSocketUri);
        uint streamA = (await fromA.JoinAsync("a-to-b", ParticipantRole.Broadcaster)).StreamId!.Value;
        await using var fromB = await TestClient.ConnectAsync(b.WebSocketUri);
        uint streamB = (await fromB.JoinAsync("b-to-a", ParticipantRole.Broadcaster)).StreamId!.Value;
        using var stop = new CancellationTokenSource();
        var sending = Task.WhenAll(SendPacedAsync(fromA, streamA, stop.Token), SendPacedAsync(fromB, streamB, stop.Token));
        await WaitForAudioAfterAsync(onB, Stopwatch.GetTimestamp(), "A to B before any restart");
        await WaitForAudioAfterAsync(onA, Stopwatch.GetTimestamp(), "B to A before any restart");

        var recoveries = new List<double>();
        var detections = new List<double>();
        for (int run = 0; run < 20; run++)
        {
            await nats.StopAsync();
            long killed = Stopwatch.GetTimestamp();
            await NodeHealth.BrokerAsync(a.HttpUri, "disconnected");
            detections.Add(Stopwatch.GetElapsedTime(killed).TotalSeconds);

            // Down for no time, a moment, or past the 1.5 s after which a node replaces its connection.
            await Task.Delay(TimeSpan.FromMilliseconds(run % 3 * 1200));
            await nats.RestartAsync();
            long back = Stopwatch.GetTimestamp();
            await WaitForAudioAfterAsync(onB, back, $"A to B after restart {run + 1}", () => $"node A:\n{a.Output}\nnode B:\n{b.Output}");
            await WaitForAudioAfterAsync(onA, back, $"B to A after restart {run + 1}", () => $"node A:\n{a.Output}\nnode B:\n{b.Output}");
            recoveries.Add(Stopwatch.GetElapsedTime(back).TotalSeconds);
            TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"restart {run + 1}: down {run % 3 * 1.2:F1} s, back after {recoveries[^1]:F2} s"));
        }

        await stop.CancelAsync();
        await sending;
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"20 restarts: audio both ways back {recoveries.Min():F2}-{recoveries.Max():F2} s after nats-server (median {recoveries.Order().ElementAt(10):F2}); health said disconnected {detections.Min():F2}-{detections.Max():F2} s after it died"));
        Assert.Multiple(() =>
        {
            Assert.That(recoveries.Max(), Is.LessThanOrEqualTo(RecoveryBound.TotalSeconds));
            Assert.That(a.HasExited || b.HasExited, Is.False);
        });
    }

    [Test]
    public async Task NatsDown_LocalRoomsWork_LossesAreCounted_AndSigtermExitsCleanly()
    {
        await using var nats = await NatsServer.StartAsync();
        await using var node = await ServerProcess.StartAsync("--broker", nats.Url, "--Broker:NodeId=lonely");
        await NodeHealth.BrokerAsync(node.HttpUri, "connected");
        await using var listener = await TestClient.ConnectAsync(node.WebSocketUri);
        await listener.JoinAsync("local", ParticipantRole.Listener);
        await using var broadcaster = await TestClient.ConnectAsync(node.WebSocketUri);
        uint stream = (await broadcaster.JoinAsync("local", ParticipantRole.Broadcaster)).StreamId!.Value;

        await nats.StopAsync();
        await NodeHealth.BrokerAsync(node.HttpUri, "disconnected", () => node.Output);
        for (uint i = 0; i < 30; i++)
        {
            await broadcaster.SendBinaryAsync(Frames.Audio(stream, i, Frames.Payload(i)));
            Assert.That(Frames.SequenceOf(await listener.NextAudioAsync()), Is.EqualTo(i), "local rooms keep working without NATS");
        }

        using var http = new HttpClient { BaseAddress = node.HttpUri };
        double dropped = await MetricAsync(http, "wsaudio_broker_publish_dropped_total");
        node.Terminate();
        int exitCode = await node.WaitForExitAsync();

        Assert.Multiple(() =>
        {
            Assert.That(dropped, Is.GreaterThanOrEqualTo(30), "every frame that could not go to other nodes is counted");
            Assert.That(exitCode, Is.Zero, node.Output);
            Assert.That(node.Output, Does.Not.Contain("Unhandled exception"));
        });
    }

    // Pacing only: one frame every 20 ms, as a live sender would, until stopped.
    private static async Task SendPacedAsync(TestClient client, uint stream, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        uint sequence = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                await client.SendBinaryAsync(Frames.Audio(stream, sequence, Frames.Payload(sequence)));
                sequence++;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // States reached by other processes: checked every 50 ms, within a bound.
    private static async Task WaitForAudioAfterAsync(TestClient listener, long since, string what, Func<string>? logs = null)
    {
        var limit = Stopwatch.StartNew();
        while (listener.LastAudioTimestamp <= since)
        {
            Assert.That(limit.Elapsed, Is.LessThan(RecoveryBound + TimeSpan.FromSeconds(5)), () => $"no audio {what}\n{logs?.Invoke()}");
            await Task.Delay(50);
        }
    }

    private static async Task<double> MetricAsync(HttpClient http, string name) => double.Parse(
        (await http.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal)).Split(' ')[1],
        CultureInfo.InvariantCulture);
}
