using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Client;

/// <summary><c>wsaudio send</c> with several URLs moves to the next server whenever its server dies, every time.</summary>
public sealed class FailoverTests
{
    [Test]
    public async Task Send_WithTwoUrls_MovesToTheOtherServerEachOfTwentyTimesItsServerIsKilled()
    {
        var nodes = new[] { await ServerProcess.StartAsync(), await ServerProcess.StartAsync() };
        try
        {
            await using var send = CliProcess.Start("send", "--url", nodes[0].WebSocketUri.ToString(), "--url", nodes[1].WebSocketUri.ToString(),
                "--room", "failover", "--file", Speech.Path48k, "--loop");
            await send.WaitForLineAsync("joined");
            int current = 0;
            for (int kill = 1; kill <= 20; kill++)
            {
                int other = 1 - current;
                await using var listener = await TestClient.ConnectAsync(nodes[other].WebSocketUri);
                await listener.JoinAsync("failover", ParticipantRole.Listener);

                // Killed mid-stream: a send is as likely as not in flight on the dead socket.
                nodes[current].Kill();
                await nodes[current].DisposeAsync();

                await listener.ExpectAsync<StreamStartedMessage>();
                await listener.NextAudioAsync();
                Assert.That(send.HasExited, Is.False, $"wsaudio send ended at kill {kill}:\n{send.Output}");

                // Back on the same port, so that the sender's list of URLs stays valid for the next move.
                nodes[current] = await ServerProcess.StartAsync(nodes[current].Port, openFileLimit: null);
                current = other;
            }

            send.Terminate();
            Assert.That(await send.WaitForExitAsync(Timeouts.Event), Is.Zero, send.Output);
            Assert.That(send.Output, Does.Contain("20 reconnects"));
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }
}
