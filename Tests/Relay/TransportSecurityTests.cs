using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WsAudio.Protocol;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

/// <summary>Origins, TLS and forwarded addresses: what the server believes about where a connection comes from.</summary>
public sealed class TransportSecurityTests
{
    [Test]
    public async Task Handshake_FromDisallowedOrigin_IsToldWhyAndClosedWhileAllowedAndOwnOnesJoin()
    {
        await using var server = await RelayServer.StartAsync("--Embedding:AllowedOrigins:0=https://radio.example.com");
        await using var background = await BackgroundRoom.StartAsync(server.WebSocketUri, "background");

        await using var evil = await TestClient.ConnectAsync(server.WebSocketUri, configure: o => o.SetRequestHeader("Origin", "https://evil.example.net"));
        var refusal = await evil.ExpectAsync<WsAudio.Protocol.Messages.ErrorMessage>();
        var (closeStatus, closeReason) = await evil.Closed.WaitAsync(Timeouts.Event);
        await using var good = await TestClient.ConnectAsync(server.WebSocketUri, configure: o => o.SetRequestHeader("Origin", "https://radio.example.com"));
        await using var own = await TestClient.ConnectAsync(server.WebSocketUri, configure: o => o.SetRequestHeader("Origin", $"http://{server.HttpUri.Authority}"));
        await good.JoinAsync("embedded", ParticipantRole.Listener);
        await own.JoinAsync("embedded", ParticipantRole.Listener);

        Assert.Multiple(() =>
        {
            Assert.That(refusal.Code, Is.EqualTo(ErrorCodes.OriginNotAllowed));
            Assert.That(refusal.Message, Does.Contain("https://evil.example.net").And.Contain("Embedding:AllowedOrigins"));
            Assert.That((closeStatus, closeReason), Is.EqualTo(((WebSocketCloseStatus?)WebSocketCloseStatus.PolicyViolation, ErrorCodes.OriginNotAllowed)));
            Assert.That(server.Rooms.Find("embedded")?.MemberCount, Is.EqualTo(2), "a listed origin and the server's own (its pages) join");
            Assert.That(server.Logs.Entries.Count(e => e.Message.Contains(ErrorCodes.OriginNotAllowed, StringComparison.Ordinal)), Is.EqualTo(1), "logged once");
        });
        await background.AssertFlowingAsync();
    }

    [Test]
    public async Task Handshake_AnyOriginByDefault_IsAccepted()
    {
        await using var server = await RelayServer.StartAsync();

        var (accepted, _) = await ConnectWithOriginAsync(server.WebSocketUri, "https://anywhere.example.org");

        Assert.That(accepted, Is.True);
    }

    [Test]
    public async Task Wss_WithPemCertificate_CarriesTheProtocolOverTls()
    {
        string directory = Directory.CreateTempSubdirectory("wsaudio-tls-").FullName;
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        string certPath = Path.Combine(directory, "cert.pem");
        string keyPath = Path.Combine(directory, "key.pem");
        await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
        await using var server = await RelayServer.StartAsync($"--Network:CertificatePath={certPath}", $"--Network:CertificateKeyPath={keyPath}");

        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(ProtocolConstants.Subprotocol);
        string? presented = null;
        string expected = certificate.Thumbprint;

        // The test's self-signed certificate is trusted by pinning: exactly that certificate, nothing else.
        socket.Options.RemoteCertificateValidationCallback = (_, cert, _, _) =>
        {
            presented = cert?.GetCertHashString();
            return presented == expected;
        };
        var wss = new UriBuilder(server.WebSocketUri) { Scheme = "wss" }.Uri;
        await socket.ConnectAsync(wss, CancellationToken.None);

        Assert.That(server.HttpUri.Scheme, Is.EqualTo("https"));
        Assert.That(presented, Is.EqualTo(expected), "the server presented the configured certificate");
        Assert.That(socket.SubProtocol, Is.EqualTo(ProtocolConstants.Subprotocol));
        Directory.Delete(directory, recursive: true);
    }

    [Test]
    public async Task ForwardedFor_FromAnUntrustedPeer_IsIgnoredForPerAddressLimits()
    {
        // Two connections from 127.0.0.1 are allowed; a client cannot escape that by claiming another address.
        await using var server = await RelayServer.StartAsync("--Limits:MaxConnectionsPerIp=2");
        await using var first = await ConnectForwardedAsync(server.WebSocketUri, "203.0.113.1");
        await using var second = await ConnectForwardedAsync(server.WebSocketUri, "203.0.113.2");

        Assert.That(async () => await ConnectForwardedAsync(server.WebSocketUri, "203.0.113.3"), Throws.InstanceOf<WebSocketException>());
    }

    [Test]
    public async Task ForwardedFor_FromAKnownProxy_CountsTheClientAddress()
    {
        await using var server = await RelayServer.StartAsync("--Limits:MaxConnectionsPerIp=2", "--Network:KnownProxies:0=127.0.0.1");
        await using var first = await ConnectForwardedAsync(server.WebSocketUri, "203.0.113.1");
        await using var second = await ConnectForwardedAsync(server.WebSocketUri, "203.0.113.1");
        await using var other = await ConnectForwardedAsync(server.WebSocketUri, "203.0.113.2");

        Assert.That(async () => await ConnectForwardedAsync(server.WebSocketUri, "203.0.113.1"), Throws.InstanceOf<WebSocketException>(),
            "the third connection from one client behind the proxy is refused");
    }

    private static async Task<(bool Accepted, HttpStatusCode Status)> ConnectWithOriginAsync(Uri url, string origin)
    {
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(ProtocolConstants.Subprotocol);
        socket.Options.SetRequestHeader("Origin", origin);
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            await socket.ConnectAsync(url, CancellationToken.None);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            return (true, socket.HttpStatusCode);
        }
        catch (WebSocketException)
        {
            return (false, socket.HttpStatusCode);
        }
    }

    private static async Task<ForwardedClient> ConnectForwardedAsync(Uri url, string forwardedFor)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(ProtocolConstants.Subprotocol);
        socket.Options.SetRequestHeader("X-Forwarded-For", forwardedFor);
        try
        {
            await socket.ConnectAsync(url, CancellationToken.None);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new ForwardedClient(socket);
    }

    private sealed class ForwardedClient(ClientWebSocket socket) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            socket.Abort();
            socket.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
