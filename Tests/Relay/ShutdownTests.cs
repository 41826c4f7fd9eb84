using System.Net.WebSockets;
using WsAudio.Protocol;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

public sealed class ShutdownTests
{
    [Test]
    public async Task Stop_WithConnectedClients_ClosesEachWith1001()
    {
        await using var server = await RelayServer.StartAsync();
        await using var speaker = await TestClient.ConnectAsync(server.WebSocketUri);
        await speaker.JoinAsync("shutdown");
        await using var idle = await TestClient.ConnectAsync(server.WebSocketUri);

        var stopping = server.StopAsync();
        var closes = await Task.WhenAll(speaker.Closed, idle.Closed).WaitAsync(Timeouts.Event);
        await stopping.WaitAsync(Timeouts.Event);

        Assert.That(closes.Select(c => c.Status), Is.All.EqualTo(WebSocketCloseStatus.EndpointUnavailable));
        Assert.That(closes.Select(c => c.Description), Is.All.EqualTo("server-shutting-down"));
        Assert.That((int)WebSocketCloseStatus.EndpointUnavailable, Is.EqualTo(CloseCodes.GoingAway));
    }
}
