using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Server.Transport;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

/// <summary>Many short-lived or abusive connections leave nothing behind and lock no one out.</summary>
public sealed class ResilienceTests
{
    [Test]
    public async Task Churn_ThousandsOfConnectJoinLeaveCycles_LeaveMemoryAndHandlesWhereTheyWere()
    {
        // Warnings only: the test's log capture keeps every line it gets, which would count as growth.
        await using var server = await RelayServer.StartAsync("--Limits:MaxConnectionsPerIp=0", "--Logging:LogLevel:Default=Warning");
        await using var background = await BackgroundRoom.StartAsync(server.WebSocketUri, "background");
        var connections = server.Services.GetRequiredService<ConnectionRegistry>();
        await CycleAsync(server.WebSocketUri, 300);
        WaitUntil(() => connections.Count == 2, "warm-up connections to close");
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        int handlesBefore = Process.GetCurrentProcess().HandleCount;

        await CycleAsync(server.WebSocketUri, 3000);

        WaitUntil(() => connections.Count == 2, "churned connections to close");
        long heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        int handlesAfter = Process.GetCurrentProcess().HandleCount;
        TestContext.Out.WriteLine($"heap {heapBefore / 1024} KiB -> {heapAfter / 1024} KiB; handles {handlesBefore} -> {handlesAfter}");
        Assert.Multiple(() =>
        {
            Assert.That(heapAfter - heapBefore, Is.LessThan(1024 * 1024), "3,000 cycles leave less than 1 MiB behind (350 bytes a cycle)");
            Assert.That(handlesAfter - handlesBefore, Is.LessThan(64), "no sockets or files leak");
            Assert.That(server.Rooms.Count, Is.EqualTo(1), "only the background room is left");
        });
        await background.AssertFlowingAsync();
    }

    [Test]
    public async Task Flood_OfStalledAndJunkHandshakes_DoesNotKeepARealClientOut()
    {
        await using var server = await RelayServer.StartAsync("--Limits:MaxConnectionsPerIp=0", "--Limits:JoinTimeout=00:00:01");
        await using var background = await BackgroundRoom.StartAsync(server.WebSocketUri, "background");
        var connections = server.Services.GetRequiredService<ConnectionRegistry>();
        var flood = new List<IDisposable>();
        try
        {
            var port = server.WebSocketUri.Port;
            for (int i = 0; i < 150; i++)
            {
                flood.Add(await OpenTcpAsync(port, null));                                        // connects, says nothing
                flood.Add(await OpenTcpAsync(port, "GET /ws HTTP/1.1\r\nHost: x\r\n"u8.ToArray())); // never finishes its headers
                flood.Add(await OpenTcpAsync(port, "\x16\x03\x01 junk junk junk\r\n\r\n"u8.ToArray())); // not HTTP at all
            }

            var idle = new List<TestClient>();
            for (int i = 0; i < 150; i++)
            {
                idle.Add(await TestClient.ConnectAsync(server.WebSocketUri)); // handshakes that never join
            }

            await using var real = await TestClient.ConnectAsync(server.WebSocketUri);
            var joined = await real.JoinAsync("real");

            Assert.That(joined.Room, Is.EqualTo("real"));
            await background.AssertFlowingAsync();
            foreach (var client in idle)
            {
                Assert.That((await client.Closed.WaitAsync(Timeouts.Event)).Status, Is.EqualTo((System.Net.WebSockets.WebSocketCloseStatus)CloseCodes.Timeout));
                await client.DisposeAsync();
            }

            WaitUntil(() => connections.Count == 3, "the idle handshakes to be closed by the join timeout");
        }
        finally
        {
            flood.ForEach(f => f.Dispose());
        }
    }

    private static async Task CycleAsync(Uri url, int cycles)
    {
        int next = 0;
        var workers = Enumerable.Range(0, 16).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= cycles)
            {
                await using var client = await TestClient.ConnectAsync(url);
                await client.JoinAsync($"churn-{next % 50}", next % 3 == 0 ? ParticipantRole.Listener : ParticipantRole.Speaker);
                await client.SendAsync(new LeaveMessage());
                await client.ExpectAsync<LeftMessage>();
                await client.CloseAsync();
            }
        });
        await Task.WhenAll(workers);
    }

    private static async Task<IDisposable> OpenTcpAsync(int port, byte[]? send)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        if (send is not null)
        {
            await socket.SendAsync(send);
        }

        return socket;
    }

    // A bounded wait on a condition the server reaches asynchronously (its handlers finish after the close handshake).
    private static void WaitUntil(Func<bool> condition, string what) =>
        Assert.That(SpinWait.SpinUntil(condition, Timeouts.Event), Is.True, $"timed out waiting for {what}");
}
