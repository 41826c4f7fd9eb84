using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using WsAudio.Protocol;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

public sealed class HandshakeTests : RelayFixture
{
    [Test]
    public async Task Connect_WithSubprotocol_AgreesOnWsAudioV1()
    {
        await using var client = await TestClient.ConnectAsync(Url);

        Assert.That(client.SubProtocol, Is.EqualTo(ProtocolConstants.Subprotocol));
    }

    [TestCase(null)]
    [TestCase("chat.v2")]
    public async Task Connect_WithoutWsAudioSubprotocol_IsRefusedWith400AndErrorCode(string? subprotocol)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (subprotocol is not null)
        {
            socket.Options.AddSubProtocol(subprotocol);
        }

        Assert.That(async () => await socket.ConnectAsync(Url, CancellationToken.None), Throws.InstanceOf<WebSocketException>());
        Assert.That(socket.HttpStatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(Server.Logs.Entries.Any(e => e.Message.Contains(ErrorCodes.SubprotocolRequired, StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task Get_WebSocketPathOverPlainHttp_Returns400WithJsonError()
    {
        using var http = new HttpClient { BaseAddress = Server.HttpUri };

        using var response = await http.GetAsync(new Uri(ProtocolConstants.Path, UriKind.Relative));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body.RootElement.GetProperty("type").GetString(), Is.EqualTo("error"));
        Assert.That(body.RootElement.GetProperty("code").GetString(), Is.EqualTo(ErrorCodes.WebSocketRequired));
    }

    [Test]
    public async Task Get_Healthz_ReportsOkWithCounts()
    {
        using var http = new HttpClient { BaseAddress = Server.HttpUri };
        await using var client = await TestClient.ConnectAsync(Url);
        await client.JoinAsync("health-room");

        var report = await http.GetFromJsonAsync<JsonElement>(new Uri("/healthz", UriKind.Relative));

        Assert.That(report.GetProperty("status").GetString(), Is.EqualTo("ok"));
        Assert.That(report.GetProperty("connections").GetInt32(), Is.GreaterThanOrEqualTo(1));
        Assert.That(report.GetProperty("rooms").GetInt32(), Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task Ping_BeforeJoin_IsAnsweredWithTheSameT()
    {
        await using var client = await TestClient.ConnectAsync(Url);

        await client.SendAsync(new WsAudio.Protocol.Messages.PingMessage { T = 4242.25 });
        var pong = await client.NextAsync<WsAudio.Protocol.Messages.PongMessage>();

        Assert.That(pong.T, Is.EqualTo(4242.25));
        Assert.That(pong.ServerTime, Is.EqualTo(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000).Within(60_000_000));
        Assert.That(pong.Dropped, Is.Zero);
    }
}
