using System.Net;
using System.Net.Sockets;
using System.Text;
using WsAudio.Protocol;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

/// <summary>
/// Connections that never finish their request (slowloris) are counted from the moment they are accepted: past an
/// address's cap or the server's, new ones are refused at once, and the server never runs out of descriptors.
/// </summary>
public sealed class ConnectionFloodTests
{
    private static readonly byte[] HalfSentRequest = "GET /ws HTTP/1.1\r\nHost: wsaudio\r\nUpgrade: websocket\r\n"u8.ToArray();

    [Test]
    public async Task HalfSentRequests_BeyondTheOpenFileLimit_AreRefusedAndTheServerCarriesOn()
    {
        // 1,024 descriptors, so the default cap is some 680 connections (80% of the limit, less what the runtime holds).
        // 1,100 half-sent requests from eleven addresses (100 each, under the per-address cap) used to take the
        // process past its descriptor limit.
        await using var server = await ServerProcess.StartAsync(0, openFileLimit: 1024);
        var attackers = new List<Socket>();
        try
        {
            // Those past the cap are answered 503 server-busy, or simply closed, at once; those under it stay open,
            // waiting for the rest of their request. Each connection is read from as soon as it is made: an answer
            // lingers only half a second before the server lets go of the connection, and where the cap falls
            // depends on the descriptors the runtime holds.
            var reading = new List<Task<string?>>();
            for (int i = 0; i < 1_100; i++)
            {
                var socket = await HalfSentRequestAsync(server.Port, IPAddress.Parse($"127.0.0.{2 + (i % 11)}"));
                attackers.Add(socket);
                reading.Add(ReadAnswerAsync(socket));
            }

            var answers = await Task.WhenAll(reading);
            var refused = answers.OfType<string>().ToList();
            Assert.That(refused, Has.Count.GreaterThanOrEqualTo(1_100 - 819));
            // An answer is a courtesy the server pays only while few refusals linger (a flood gets closed sockets);
            // when one comes, it says why. That an answer does arrive is checked where one refusal comes alone: the
            // per-address test below, whose 429 takes the same path.
            Assert.That(refused, Has.All.Matches<string>(a => a.Length == 0 || (a.StartsWith("HTTP/1.1 503", StringComparison.Ordinal) && a.Contains(ErrorCodes.ServerBusy, StringComparison.Ordinal))));
            TestContext.Out.WriteLine($"{refused.Count} refused, {refused.Count(a => a.Length > 0)} of them answered");
        }
        finally
        {
            foreach (var socket in attackers)
            {
                socket.Dispose();
            }
        }

        await WaitUntilServingAsync(server.HttpUri);
        await using var room = await BackgroundRoom.StartAsync(server.WebSocketUri, "after-the-flood");
        await room.AssertFlowingAsync();
        using var http = new HttpClient { BaseAddress = server.HttpUri };
        string metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        double cap = Metric(metrics, "wsaudio_tcp_connections_limit");

        Assert.Multiple(() =>
        {
            Assert.That(server.HasExited, Is.False);
            Assert.That(cap, Is.InRange(500, 819));
            Assert.That(Metric(metrics, "wsaudio_tcp_connections_refused_total"), Is.GreaterThanOrEqualTo(1_100 - cap));
            Assert.That(server.Output.Split('\n').Count(l => l.Contains("Refused a connection", StringComparison.Ordinal)), Is.LessThanOrEqualTo(2), "refusals are logged once per interval, not once each");
        });
    }

    [Test]
    public async Task HalfSentRequests_FromOneAddress_AreCappedAtAcceptWhileOthersStillJoin()
    {
        await using var server = await RelayServer.StartAsync("--Limits:MaxConnectionsPerIp=20");
        var attacker = IPAddress.Parse("127.0.0.2");
        var held = new List<Socket>();
        try
        {
            for (int i = 0; i < 20; i++)
            {
                held.Add(await HalfSentRequestAsync(server.HttpUri.Port, attacker));
            }

            using var refused = await HalfSentRequestAsync(server.HttpUri.Port, attacker);
            string answer = await ReadToEndAsync(refused);

            Assert.That(answer, Does.StartWith("HTTP/1.1 429").And.Contain(ErrorCodes.TooManyConnections));
            await using var other = await TestClient.ConnectAsync(server.WebSocketUri);
            Assert.That((await other.JoinAsync("unaffected")).Room, Is.EqualTo("unaffected"));
        }
        finally
        {
            foreach (var socket in held)
            {
                socket.Dispose();
            }
        }
    }

    [Test]
    public async Task HalfSentRequest_IsClosedAfterTheRequestHeadersTimeout()
    {
        await using var server = await RelayServer.StartAsync("--Network:RequestHeadersTimeout=00:00:01");
        using var slow = await HalfSentRequestAsync(server.HttpUri.Port, IPAddress.Loopback);

        string answer = await ReadToEndAsync(slow);

        Assert.That(answer, Does.Not.Contain("101 Switching Protocols"), "the server gave up on the request; it was never upgraded");
    }

    private static async Task<Socket> HalfSentRequestAsync(int port, IPAddress source)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(source, 0));
        using var timeout = new CancellationTokenSource(Timeouts.Event);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
        try
        {
            await socket.SendAsync(HalfSentRequest, SocketFlags.None, timeout.Token);
        }
        catch (SocketException)
        {
            // Refused at once and reset before the bytes went out: the read shows it.
        }

        return socket;
    }

    // Reads until the server closes the connection (or resets it); fails if it stays open past the event timeout.
    // What the server answered before closing, or null if it still holds the connection open after a while.
    private static async Task<string?> ReadAnswerAsync(Socket socket)
    {
        var received = new StringBuilder();
        var buffer = new byte[4096];
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, wait.Token)) > 0)
            {
                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (SocketException)
        {
            // Reset: closed all the same.
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        return received.ToString();
    }

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        var received = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(Timeouts.Event);
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            {
                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (SocketException)
        {
            // Reset: closed all the same.
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the server left the connection open for {Timeouts.Event.TotalSeconds} s");
        }

        return received.ToString();
    }

    // Closed attackers are released as the server reads their end; until then, new connections may still be refused.
    private static async Task WaitUntilServingAsync(Uri server)
    {
        using var http = new HttpClient { BaseAddress = server };
        var limit = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await http.GetAsync(new Uri("/healthz", UriKind.Relative))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            Assert.That(limit.Elapsed, Is.LessThan(Timeouts.Event), "the server did not serve again after the flood ended");
            await Task.Delay(100);
        }
    }

    private static double Metric(string metrics, string name) => double.Parse(
        metrics.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal)).Split(' ')[1],
        System.Globalization.CultureInfo.InvariantCulture);
}
