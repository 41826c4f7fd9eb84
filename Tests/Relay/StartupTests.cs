using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

/// <summary>
/// The server process as an operator starts it: ASP.NET Core's address conventions, --help and --version, and every
/// start-up failure in one line with an exit code, never a stack trace or a server started on the defaults.
/// </summary>
public sealed class StartupTests
{
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(30);

    [TestCase(new[] { "--prot", "18433" }, "unknown option '--prot'")]
    [TestCase(new[] { "--Network:Prot=1" }, "unknown setting 'Network:Prot'")]
    [TestCase(new[] { "stray" }, "unexpected argument 'stray'")]
    [TestCase(new[] { "--port", "99999" }, "Network:Port")]
    [TestCase(new[] { "--port", "abc" }, "'Network:Port'")]
    [TestCase(new[] { "--metrics-url", "9090" }, "Network:MetricsUrl")]
    [TestCase(new[] { "--port", "9090", "--metrics-url", "http://127.0.0.1:9090" }, "Network:MetricsUrl")]
    public async Task Start_BadCommandLine_ExitsTwoWithOneLineNamingIt(string[] args, string named)
    {
        var (code, stdout, stderr) = await RunToExitAsync([.. args]);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(2), stderr);
            Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1), stderr);
            Assert.That(stderr, Does.StartWith("wsaudio-server: ").And.Contain(named));
            Assert.That(stdout, Does.Not.Contain("listening"));
        });
    }

    [Test]
    public async Task Start_PortInUse_ExitsOneWithOneLine()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (code, _, stderr) = await RunToExitAsync("--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture));

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(1), stderr);
            Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1), stderr);
            Assert.That(stderr, Does.Contain("address already in use").IgnoreCase.And.Contain($":{port}"));
        });
    }

    [Test]
    public async Task Help_ListsEverySettingWithItsDefault()
    {
        var (code, stdout, _) = await RunToExitAsync("--help");

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero);
            Assert.That(stdout, Does.Contain("--port").And.Contain("--urls").And.Contain("Network:Port").And.Contain("8080"));
            Assert.That(stdout, Does.Contain("Recording:Folder").And.Contain("recordings").And.Contain("Relay:QueueDepth"));
        });
    }

    [Test]
    public async Task Version_IsTheProjectsVersion()
    {
        var (code, stdout, _) = await RunToExitAsync("--version");
        string npmVersion = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "client-web-package.json"))).RootElement.GetProperty("version").GetString()!;

        await using var cli = CliProcess.Start("--version");
        Assert.That(await cli.WaitForExitAsync(Run), Is.Zero);
        string cliVersion = (await cli.ReadStandardOutputAsync()).Trim();

        Assert.That((code, stdout.Trim(), cliVersion), Is.EqualTo((0, npmVersion, npmVersion)), "server, tool and npm package share one version");
    }

    [Test]
    public async Task Urls_GivenTheAspNetCoreWay_WinOverHostAndPort()
    {
        int viaUrls = FreePort();
        int viaEnvironment = FreePort();
        string server = Path.Combine(AppContext.BaseDirectory, "WsAudio.Server.dll");

        using var byUrls = await ChildProcess.StartAsync("dotnet", [server, "--urls", $"http://127.0.0.1:{viaUrls}", "--port", "1"], "WsAudio listening on");
        using var byEnvironment = await ChildProcess.StartAsync("dotnet", [server], "WsAudio listening on",
            new Dictionary<string, string> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{viaEnvironment}" });
        using var http = new HttpClient();

        try
        {
            Assert.That((await http.GetAsync($"http://127.0.0.1:{viaUrls}/healthz")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await http.GetAsync($"http://127.0.0.1:{viaEnvironment}/healthz")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        finally
        {
            byUrls.Kill();
            byEnvironment.Kill();
        }
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunToExitAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "WsAudio.Server.dll"));
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Run);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
