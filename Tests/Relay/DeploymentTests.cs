using System.Collections.Concurrent;
using System.Text.Json;
using WsAudio.Server.Hosting;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

/// <summary>
/// The deployment files in deploy/ agree with the server they start, and the JSON console logs they configure are
/// what docs/deploy.md promises. (systemd and Docker themselves are not on this machine.)
/// </summary>
public sealed class DeploymentTests
{
    [Test]
    public void SystemdUnit_RestartsOnFailureButNotOnBadSettings_AndIsHardened()
    {
        var unit = File.ReadAllLines(Path.Combine(Repository.Root, "deploy", "wsaudio.service"))
            .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .GroupBy(p => p[0], p => p[1])
            .ToDictionary(g => g.Key, g => g.Last());

        Assert.Multiple(() =>
        {
            Assert.That(unit["ExecStart"], Does.EndWith("/WsAudio.Server.dll"), "the published server's entry point");
            Assert.That(unit["Restart"], Is.EqualTo("on-failure"));
            Assert.That(unit["RestartPreventExitStatus"], Is.EqualTo(ServerMain.BadUsage.ToString(System.Globalization.CultureInfo.InvariantCulture)), "a setting that cannot be taken is not retried");
            Assert.That(unit["EnvironmentFile"], Does.Contain("wsaudio.env"));
            foreach (string hardening in new[] { "NoNewPrivileges", "ProtectSystem", "ProtectHome", "PrivateTmp", "RestrictAddressFamilies", "CapabilityBoundingSet" })
            {
                Assert.That(unit.ContainsKey(hardening), hardening);
            }
        });
    }

    [Test]
    public async Task JsonConsoleLogs_AsTheDockerfileSetsThem_AreOneObjectALineWithUtcTimestamps()
    {
        var output = new ConcurrentQueue<string>();
        string dll = Path.Combine(AppContext.BaseDirectory, "WsAudio.Server.dll");
        var environment = File.ReadAllLines(Path.Combine(Repository.Root, "deploy", "Dockerfile"))
            .Select(l => l.Trim().TrimStart("ENV ".ToCharArray()).TrimEnd('\\').Trim())
            .Where(l => l.StartsWith("Logging__", StringComparison.Ordinal))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);
        using var server = await ChildProcess.StartAsync("dotnet", [dll, "--host", "127.0.0.1", "--port", "0"], "WsAudio listening on", environment, output);
        server.Kill();

        var lines = output.Where(l => l.StartsWith('{')).ToList();
        Assert.That(environment, Has.Count.GreaterThanOrEqualTo(2), "the Dockerfile sets the JSON formatter");
        Assert.That(lines, Is.Not.Empty, string.Join('\n', output));
        foreach (string line in lines)
        {
            using var entry = JsonDocument.Parse(line);
            Assert.That(entry.RootElement.GetProperty("Timestamp").GetString(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"));
            Assert.That(entry.RootElement.TryGetProperty("Message", out _));
        }
    }
}
