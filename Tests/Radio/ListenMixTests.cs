using System.Diagnostics;
using System.Globalization;
using WsAudio.Audio.Wav;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Radio;

/// <summary>
/// The listen URL of a room with more than one speaker, or with a PCM sender, carries the room's mix, encoded once
/// by the server; ffmpeg plays it.
/// </summary>
public sealed class ListenMixTests
{
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(60);

    [Test]
    public async Task ListenUrl_TwoSpeakersAtOnce_CarriesBothMixed()
    {
        await using var server = await RelayServer.StartAsync();
        await using var watcher = await TestClient.ConnectAsync(server.WebSocketUri);
        await watcher.JoinAsync("mix-two", ParticipantRole.Listener);
        string heardPath = Path.Combine(TestContext.CurrentContext.WorkDirectory, "mix-two.wav");
        using var player = StartPlayer(server, "mix-two", heardPath, seconds: 6);
        await watcher.ExpectAsync<ParticipantJoinedMessage>(m => m.Participant.Name == "HTTP listener");

        await using var first = CliProcess.Start("send", "--url", server.WebSocketUri.ToString(), "--room", "mix-two", "--file", Speech.Path48k);
        await using var second = CliProcess.Start("send", "--url", server.WebSocketUri.ToString(), "--room", "mix-two", "--file", Speech.OtherPath48k);
        await player.WaitForExitAsync().WaitAsync(Run);
        Assert.That(player.ExitCode, Is.Zero, await player.StandardError.ReadToEndAsync());
        Assert.That(await first.WaitForExitAsync(Run), Is.Zero, first.Output);
        Assert.That(await second.WaitForExitAsync(Run), Is.Zero, second.Output);

        // Each voice is found in the mix at its own offset; the sum of both, so placed, is what the mix must be.
        float[] heard = WavReader.Read(heardPath).ToMono48k();
        float[] one = Speech.Samples48k();
        float[] other = WavReader.Read(Speech.OtherPath48k).ToMono48k();
        int lagOne = AudioCompare.FindLag(one, heard, 48000);
        int lagOther = AudioCompare.FindLag(other, heard, 48000);
        float[] sum = new float[heard.Length];
        Place(one, lagOne, sum);
        Place(other, lagOther, sum);
        double withSum = AudioCompare.Correlation(sum, heard, 0);
        double withOne = AudioCompare.Correlation(one, heard, lagOne);
        TestContext.Out.WriteLine($"voices at {lagOne} and {lagOther} samples; correlation with their sum {withSum:F3}, with the first alone {withOne:F3}");
        Assert.Multiple(() =>
        {
            Assert.That(withSum, Is.GreaterThanOrEqualTo(0.9), "both voices, each whole, at once");
            Assert.That(withOne, Is.LessThan(withSum - 0.1), "not one voice alone");
        });
    }

    [Test]
    public async Task ListenUrl_PcmSender_IsEncodedForPlayers()
    {
        await using var server = await RelayServer.StartAsync();
        await using var watcher = await TestClient.ConnectAsync(server.WebSocketUri);
        await watcher.JoinAsync("mix-pcm", ParticipantRole.Listener);
        string heardPath = Path.Combine(TestContext.CurrentContext.WorkDirectory, "mix-pcm.wav");
        using var player = StartPlayer(server, "mix-pcm", heardPath, seconds: 4.5);
        await watcher.ExpectAsync<ParticipantJoinedMessage>(m => m.Participant.Name == "HTTP listener");

        await using var send = CliProcess.Start("send", "--url", server.WebSocketUri.ToString(), "--room", "mix-pcm", "--file", Speech.Path48k, "--codec", "pcm16", "--role", "broadcaster");
        await player.WaitForExitAsync().WaitAsync(Run);
        Assert.That(player.ExitCode, Is.Zero, await player.StandardError.ReadToEndAsync());
        Assert.That(await send.WaitForExitAsync(Run), Is.Zero, send.Output);

        float[] sent = Speech.Samples48k();
        float[] heard = WavReader.Read(heardPath).ToMono48k();
        int lag = AudioCompare.FindLag(sent, heard, 48000);
        double correlation = AudioCompare.Correlation(sent, heard, lag);
        TestContext.Out.WriteLine($"PCM room: lag {lag}, correlation {correlation:F3}");
        Assert.That(correlation, Is.GreaterThanOrEqualTo(0.9));
    }

    // output[i + lag] ≈ signal[i]
    private static void Place(float[] signal, int lag, float[] output)
    {
        for (int i = 0; i < signal.Length; i++)
        {
            if (i + lag >= 0 && i + lag < output.Length)
            {
                output[i + lag] += signal[i];
            }
        }
    }

    private static Process StartPlayer(RelayServer server, string room, string output, double seconds)
    {
        return Tool.Start("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-i", $"{server.HttpUri}rooms/{room}/stream.ogg",
            "-t", seconds.ToString("F2", CultureInfo.InvariantCulture), "-ac", "1", "-ar", "48000", "-y", output);
    }
}
