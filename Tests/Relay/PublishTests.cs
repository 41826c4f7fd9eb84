using System.Net;
using System.Net.Sockets;
using System.Globalization;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

/// <summary>
/// <c>dotnet publish Server</c>, as docs/deploy.md says, gives a folder that serves everything from wherever it is
/// copied: the pages, the browser library and its WebAssembly decoder.
/// </summary>
public sealed class PublishTests
{
    // As docs/deploy.md says, and precompiled (ReadyToRun) as operators often publish ASP.NET Core servers.
    [TestCase]
    [TestCase("-r", "linux-x64", "--self-contained", "false", "-p:PublishReadyToRun=true")]
    public async Task Publish_FolderRunFromElsewhere_ServesThePagesAndTheLibrary(params string[] options)
    {
        string repository = Repository.Root;
        string output = Path.Combine(TestContext.CurrentContext.WorkDirectory, "published-" + Guid.NewGuid().ToString("N")[..8]);
        Tool.Run("dotnet", ["publish", Path.Combine(repository, "Server", "WsAudio.Server.csproj"), "-c", "Release", "-o", output, "--nologo", "-v", "quiet", .. options]);

        int port = FreePort();
        using var server = await ChildProcess.StartAsync("dotnet", [Path.Combine(output, "WsAudio.Server.dll"), "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture)], "WsAudio listening on");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        try
        {
            foreach (string path in new[] { "/", "/listen/x", "/wsaudio.js", "/wsaudio-opus.js", "/wsaudio-opus-encoder.js", "/pages/voice.js", "/pages/listen.js", "/app.css" })
            {
                using var response = await http.GetAsync(path);
                byte[] body = await response.Content.ReadAsByteArrayAsync();
                Assert.That((response.StatusCode, body.Length > 100), Is.EqualTo((HttpStatusCode.OK, true)), path);
            }
        }
        finally
        {
            server.Kill();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
