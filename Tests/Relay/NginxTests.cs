using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using WsAudio.Protocol;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

/// <summary>
/// deploy/nginx.conf, the example docs/deploy.md shows, in a real nginx (Debian's) in front of a real server: only
/// the upstream address, the listening port and the certificate (a self-signed one from openssl) are changed.
/// </summary>
public sealed class NginxTests : RelayFixture
{
    private static readonly int MetricsPort = FreePort();
    private string _directory = string.Empty;
    private System.Diagnostics.Process? _nginx;
    private int _nginxPort;
    private string _certificateHash = string.Empty;

    private protected override string[] ServerArguments => [$"--metrics-url=http://127.0.0.1:{MetricsPort}"];

    [OneTimeSetUp]
    public async Task StartNginx()
    {
        _directory = Directory.CreateTempSubdirectory("wsaudio-nginx-").FullName;
        // nginx's workers run as an unprivileged user and buffer large answers in files here.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_directory, (UnixFileMode)0b111_111_111);
        }

        Tool.Run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=audio.example.com",
            "-keyout", Path.Combine(_directory, "key.pem"), "-out", Path.Combine(_directory, "cert.pem"));
        using (var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(_directory, "cert.pem"))))
        {
            _certificateHash = certificate.GetCertHashString();
        }

        _nginxPort = FreePort();
        string example = File.ReadAllText(Path.Combine(Repository.Root, "deploy", "nginx.conf"));
        string site = Replace(example, "server 10.0.0.10:8080;", $"server 127.0.0.1:{Server.HttpUri.Port};");
        site = Replace(site, "listen 443 ssl http2;", $"listen 127.0.0.1:{_nginxPort} ssl http2;");
        site = Replace(site, "/etc/letsencrypt/live/audio.example.com/fullchain.pem", Path.Combine(_directory, "cert.pem"));
        site = Replace(site, "/etc/letsencrypt/live/audio.example.com/privkey.pem", Path.Combine(_directory, "key.pem"));
        File.WriteAllText(Path.Combine(_directory, "wsaudio.conf"), site);
        File.WriteAllText(Path.Combine(_directory, "nginx.conf"),
            $$"""
            pid {{_directory}}/nginx.pid;
            error_log {{_directory}}/error.log;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path {{_directory}}/body;
                proxy_temp_path {{_directory}}/proxy;
                fastcgi_temp_path {{_directory}}/fastcgi;
                uwsgi_temp_path {{_directory}}/uwsgi;
                scgi_temp_path {{_directory}}/scgi;
                include {{_directory}}/wsaudio.conf;
            }
            """);

        _nginx = Tool.Start(File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx", "-p", _directory, "-c", Path.Combine(_directory, "nginx.conf"), "-g", "daemon off;");
        using var timeout = new CancellationTokenSource(Timeouts.Event);
        while (true)
        {
            Assert.That(_nginx.HasExited, Is.False, () => $"nginx stopped: {_nginx.StandardError.ReadToEnd()}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, _nginxPort, timeout.Token);
                break;
            }
            catch (SocketException)
            {
                await Task.Delay(50, timeout.Token);
            }
        }
    }

    [OneTimeTearDown]
    public void StopNginx()
    {
        if (_nginx is { HasExited: false })
        {
            _nginx.Kill();
            _nginx.WaitForExit();
        }

        _nginx?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task WebSocket_ThroughTheExampleProxy_CarriesJoinAndAudio()
    {
        var uri = new Uri($"wss://127.0.0.1:{_nginxPort}/ws");
        await using var speaker = await TestClient.ConnectAsync(uri, configure: TrustTestCertificate);
        await using var listener = await TestClient.ConnectAsync(uri, configure: TrustTestCertificate);
        var joined = await speaker.JoinAsync("behind-nginx");
        await listener.JoinAsync("behind-nginx", ParticipantRole.Listener);

        byte[] frame = Frames.Audio(joined.StreamId!.Value, 0, Frames.Payload(0));
        await speaker.SendBinaryAsync(frame);

        Assert.That(await listener.NextAudioAsync(), Is.EqualTo(frame));
    }

    [Test]
    public async Task Requests_ThroughTheExampleProxy_ReuseUpstreamConnections()
    {
        using var http = Client();
        var before = UpstreamPeers();

        for (int i = 0; i < 10; i++)
        {
            using var rooms = await http.GetAsync(new Uri($"https://127.0.0.1:{_nginxPort}/api/rooms"));
            Assert.That(rooms.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            // The library, not the WebSocket location: an exact match keeps /wsaudio.js out of it.
            using var library = await http.GetAsync(new Uri($"https://127.0.0.1:{_nginxPort}/wsaudio.js"));
            Assert.That(library.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/javascript"));
            await library.Content.ReadAsByteArrayAsync();
        }

        int opened = UpstreamPeers().Except(before).Count();
        TestContext.Out.WriteLine($"20 requests through nginx opened {opened} connections to the server");
        Assert.That(opened, Is.LessThanOrEqualTo(2), "nginx keeps its upstream connections alive and reuses them");
    }

    [Test]
    public async Task MetricsAndHealth_WithAMetricsUrl_AnswerOnlyOnTheInternalAddress()
    {
        using var http = Client();
        using var publicMetrics = await http.GetAsync(new Uri($"https://127.0.0.1:{_nginxPort}/metrics"));
        using var publicHealth = await http.GetAsync(new Uri($"https://127.0.0.1:{_nginxPort}/healthz"));
        using var internalMetrics = await http.GetAsync(new Uri($"http://127.0.0.1:{MetricsPort}/metrics"));
        using var internalHealth = await http.GetAsync(new Uri($"http://127.0.0.1:{MetricsPort}/healthz"));
        using var internalPage = await http.GetAsync(new Uri($"http://127.0.0.1:{MetricsPort}/"));

        Assert.Multiple(async () =>
        {
            Assert.That(publicMetrics.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(publicHealth.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(internalMetrics.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await internalMetrics.Content.ReadAsStringAsync(), Does.Contain("wsaudio_build_info"));
            Assert.That(internalHealth.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(internalPage.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    private static string Replace(string text, string from, string to)
    {
        Assert.That(text, Does.Contain(from), "deploy/nginx.conf changed shape; update this test with it");
        return text.Replace(from, to, StringComparison.Ordinal);
    }

    // The test's own certificate is trusted, and only it.
    private void TrustTestCertificate(System.Net.WebSockets.ClientWebSocketOptions options) =>
        options.RemoteCertificateValidationCallback = (_, certificate, _, _) => IsTestCertificate(certificate);

    private HttpClient Client() => new(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => IsTestCertificate(certificate) },
    });

    private bool IsTestCertificate(X509Certificate? certificate) => certificate?.GetCertHashString() == _certificateHash;

    // The client ports of every TCP connection the kernel knows to the server's port (any state, TIME_WAIT included):
    // a connection opened per request leaves one each.
    private HashSet<int> UpstreamPeers()
    {
        string port = Server.HttpUri.Port.ToString("X4", CultureInfo.InvariantCulture);
        var peers = new HashSet<int>();
        foreach (string line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string local = fields[1];
            string remote = fields[2];
            if (local.EndsWith(":" + port, StringComparison.Ordinal))
            {
                peers.Add(int.Parse(remote[(remote.IndexOf(':', StringComparison.Ordinal) + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }

        return peers;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
