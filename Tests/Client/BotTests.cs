using System.Text.Json;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Client;

/// <summary><c>wsaudio bot</c> against a real server, at a size that fits a test.</summary>
public sealed class BotTests : RelayFixture
{
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Bot_SmallLoad_AccountsForEveryFrameAndReadsTheServersMetrics()
    {
        string json = Path.Combine(TestContext.CurrentContext.WorkDirectory, "bot-small.json");
        await using var bot = CliProcess.Start("bot", "--url", Url.ToString(), "--rooms", "2", "--speakers", "2", "--listeners", "3",
            "--duration", "00:00:02", "--ramp-up", "00:00:00.200", "--room-prefix", "small-", "--json", json, "--quiet");

        Assert.That(await bot.WaitForExitAsync(Run), Is.Zero, bot.Output);
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var r = report.RootElement;
        long sent = r.GetProperty("framesSent").GetInt64();
        Assert.Multiple(() =>
        {
            Assert.That(r.GetProperty("connectionsOpened").GetInt64(), Is.EqualTo(10));
            Assert.That(r.GetProperty("connectionsFailed").GetInt64(), Is.Zero);
            Assert.That(sent, Is.EqualTo(2 * 2 * 100).Within(4), "4 speakers × 2 s × 50 frames/s");
            Assert.That(r.GetProperty("framesExpected").GetInt64(), Is.EqualTo(sent * 4), "each frame reaches 3 listeners and 1 other speaker");
            Assert.That(r.GetProperty("framesReceived").GetInt64(), Is.EqualTo(sent * 4));
            Assert.That(r.GetProperty("framesLost").GetInt64(), Is.Zero);
            Assert.That(r.GetProperty("framesOutOfOrder").GetInt64(), Is.Zero);
            Assert.That(r.GetProperty("latencyP99Ms").GetDouble(), Is.GreaterThan(0));
            Assert.That(r.GetProperty("serverCpuSeconds").GetDouble(), Is.GreaterThan(0), "read from /metrics");
            Assert.That(r.GetProperty("botConnectCpuSeconds").GetDouble(), Is.GreaterThan(0), "its own, while joining");
            Assert.That(r.GetProperty("serverDrops").GetDouble(), Is.Zero);
            Assert.That(r.GetProperty("brokenConditions").GetArrayLength(), Is.Zero);
        });
        Assert.That(Server.Rooms.Find("small-0"), Is.Null, "the bot leaves when done");
    }

    [Test]
    public async Task Bot_ListenUrlPlayers_TimeAndCountEveryPage()
    {
        string json = Path.Combine(TestContext.CurrentContext.WorkDirectory, "bot-listen-url.json");
        await using var bot = CliProcess.Start("bot", "--url", Url.ToString(), "--rooms", "2", "--speakers", "1", "--listeners", "3", "--listen-url",
            "--late-joiners", "2", "--duration", "00:00:02", "--ramp-up", "00:00:00.200", "--room-prefix", "players-", "--json", json, "--quiet");

        Assert.That(await bot.WaitForExitAsync(Run), Is.Zero, bot.Output);
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var r = report.RootElement;
        long sent = r.GetProperty("framesSent").GetInt64();
        Assert.Multiple(() =>
        {
            Assert.That(r.GetProperty("connectionsOpened").GetInt64(), Is.EqualTo(8));
            Assert.That(sent, Is.EqualTo(2 * 100).Within(2), "2 speakers × 2 s × 50 frames/s");
            Assert.That(r.GetProperty("framesReceived").GetInt64(), Is.EqualTo(sent * 3), "every page reaches the room's 3 players");
            Assert.That(r.GetProperty("framesLost").GetInt64(), Is.Zero);
            Assert.That(r.GetProperty("latencyP99Ms").GetDouble(), Is.GreaterThan(0), "timed from the packets' stamps");
            Assert.That(r.GetProperty("lateJoins").GetInt32(), Is.EqualTo(2), "late players timed to their first page");
        });
    }

    [Test]
    public async Task Bot_RampUpLongerThanTheServersIdleTimeout_KeepsEveryConnection()
    {
        // The server closes a connection that says nothing for 2 s; the connections join over 4 s before anyone speaks.
        await using var server = await RelayServer.StartAsync("--Limits:IdleTimeout=00:00:02");
        string json = Path.Combine(TestContext.CurrentContext.WorkDirectory, "bot-keepalive.json");
        await using var bot = CliProcess.Start("bot", "--url", server.WebSocketUri.ToString(), "--rooms", "1", "--speakers", "1", "--listeners", "3",
            "--duration", "1", "--ramp-up", "4s", "--keep-alive", "500ms", "--room-prefix", "alive-", "--json", json, "--quiet");

        Assert.That(await bot.WaitForExitAsync(Run), Is.Zero, bot.Output);
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var r = report.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(r.GetProperty("reconnects").GetInt64(), Is.Zero, "no connection was closed for idling");
            Assert.That(r.GetProperty("framesLost").GetInt64(), Is.Zero);
            Assert.That(server.Logs.Entries.Where(e => e.Message.Contains("idle-timeout", StringComparison.Ordinal)), Is.Empty);
        });
    }

    [Test]
    public async Task Bot_FailIfConditionHolds_ExitsThreeAndNamesIt()
    {
        await using var bot = CliProcess.Start("bot", "--url", Url.ToString(), "--listeners", "1", "--duration", "00:00:01",
            "--ramp-up", "00:00:00", "--room-prefix", "gate-", "--fail-if", "p50>=0ms", "--fail-if", "loss>50%");

        Assert.That(await bot.WaitForExitAsync(Run), Is.EqualTo(3), bot.Output);
        string output = await bot.ReadStandardOutputAsync();
        Assert.That(output, Does.Contain("FAILED: p50>=0ms"));
        Assert.That(output, Does.Not.Contain("loss>50%"), "only the broken condition is named");
    }

    [Test]
    public async Task Bot_UnreachableServer_CountsFailuresForTheGate()
    {
        await using var bot = CliProcess.Start("bot", "--url", "ws://127.0.0.1:1/ws", "--listeners", "2", "--duration", "00:00:00.100",
            "--ramp-up", "00:00:00", "--fail-if", "failed>0");

        Assert.That(await bot.WaitForExitAsync(Run), Is.EqualTo(3), bot.Output);
        Assert.That(await bot.ReadStandardOutputAsync(), Does.Match(@"connections opened / failed\s+0 / 3"));
    }

    [Test]
    public async Task Bot_MalformedCondition_IsAUsageError()
    {
        await using var bot = CliProcess.Start("bot", "--url", Url.ToString(), "--fail-if", "p99~50");

        Assert.That(await bot.WaitForExitAsync(Run), Is.EqualTo(2));
        Assert.That(bot.Output, Does.Contain("is not a condition like p99>50ms"));
    }
}
