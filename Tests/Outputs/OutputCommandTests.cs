using WsAudio.Audio;
using WsAudio.Audio.Wav;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Outputs;

/// <summary>
/// <c>wsaudio tap</c> feeds a speech recognizer from a pipe or a folder; <c>wsaudio record</c> starts and stops a
/// room's recording, as an operator's script would.
/// </summary>
public sealed class OutputCommandTests
{
    private const int Rate = 16000;
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Tap_ToStdoutAndToAFolder_GivesTheMixAndEachSpeakerOnOneTimeline()
    {
        await using var server = await RelayServer.StartAsync();
        string url = server.WebSocketUri.ToString();
        string folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "tap-" + Guid.NewGuid().ToString("N")[..8]);
        await using var mixTap = CliProcess.Start("tap", "--url", url, "--room", "cli-tap", "--rate", "16000", "--stdout");
        await mixTap.WaitForLineAsync("tapping cli-tap");
        await using var speakerTap = CliProcess.Start("tap", "--url", url, "--room", "cli-tap", "--rate", "16000", "--per-speaker", "--out-dir", folder);
        await speakerTap.WaitForLineAsync("tapping cli-tap");
        await using var ada = await TestClient.ConnectAsync(server.WebSocketUri);
        var adaJoined = await ada.JoinAsync("cli-tap", ParticipantRole.Speaker, "Ada");
        await using var bob = await TestClient.ConnectAsync(server.WebSocketUri);
        var bobJoined = await bob.JoinAsync("cli-tap", ParticipantRole.Speaker, "Bob");

        float[] one = Speech.Samples48k();
        float[] other = WavReader.Read(Speech.OtherPath48k).ToMono48k();
        var reading = ReadPcmAsync(mixTap.StandardOutputBytes, (int)((one.Length / 3) + Rate));
        await PacedSpeech.SendAsync(new Voice(ada, adaJoined.StreamId!.Value, one), new Voice(bob, bobJoined.StreamId!.Value, other));
        float[] mix = await reading.WaitAsync(Run);
        await speakerTap.WaitForLineAsync("stopped");
        await speakerTap.WaitForLineAsync("stopped");
        speakerTap.Terminate();
        mixTap.Terminate();
        Assert.That(await speakerTap.WaitForExitAsync(Run), Is.Zero, speakerTap.Output);

        float[] one16 = Resampler.Convert(one, 48000, Rate);
        float[] other16 = Resampler.Convert(other, 48000, Rate);
        float[] adaHeard = WavReader.Read(Path.Combine(folder, $"Ada-{adaJoined.StreamId}.wav")).Samples;
        float[] bobHeard = WavReader.Read(Path.Combine(folder, $"Bob-{bobJoined.StreamId}.wav")).Samples;
        int adaLag = AudioCompare.FindLag(one16, adaHeard, 5 * Rate);
        int bobLag = AudioCompare.FindLag(other16, bobHeard, 5 * Rate);
        float[] sum = new float[mix.Length];
        Add(one16, AudioCompare.FindLag(one16, mix, 5 * Rate), sum);
        Add(other16, AudioCompare.FindLag(other16, mix, 5 * Rate), sum);
        double adaCorrelation = AudioCompare.Correlation(one16, adaHeard, adaLag);
        double bobCorrelation = AudioCompare.Correlation(other16, bobHeard, bobLag);
        double mixCorrelation = AudioCompare.Correlation(sum, mix, 0);
        TestContext.Out.WriteLine($"Ada {adaCorrelation:F3} at {adaLag}, Bob {bobCorrelation:F3} at {bobLag}, mix {mixCorrelation:F3}");
        Assert.Multiple(() =>
        {
            Assert.That(speakerTap.Output, Does.Contain("Ada (").And.Contain("Bob ("), "who speaks is named");
            Assert.That(adaCorrelation, Is.GreaterThanOrEqualTo(0.9));
            Assert.That(bobCorrelation, Is.GreaterThanOrEqualTo(0.9));
            Assert.That(adaLag, Is.EqualTo(bobLag).Within(Rate / 20), "both files share the tap's timeline");
            Assert.That(mixCorrelation, Is.GreaterThanOrEqualTo(0.9));
        });
    }

    [Test]
    public async Task Tap_ServerFrozenMidSentence_KeepsEverySecondOfTheSpeech()
    {
        await using var server = await ServerProcess.StartAsync();
        string folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "tap-freeze-" + Guid.NewGuid().ToString("N")[..8]);
        await using var tap = CliProcess.Start("tap", "--url", server.WebSocketUri.ToString(), "--room", "frozen", "--rate", "16000", "--per-speaker", "--out-dir", folder);
        await tap.WaitForLineAsync("tapping frozen");
        await using var ada = await TestClient.ConnectAsync(server.WebSocketUri);
        var joined = await ada.JoinAsync("frozen", ParticipantRole.Speaker, "Ada");

        float[] speech = Speech.Samples48k();
        var sending = PacedSpeech.SendAsync(new Voice(ada, joined.StreamId!.Value, speech));
        await tap.WaitForLineAsync("Ada (");
        // 75 frames pile up in the socket meanwhile, and 75 blocks of the tap's timeline are due.
        await server.FreezeAsync(TimeSpan.FromMilliseconds(1500));
        await sending;
        await tap.WaitForLineAsync("stopped");
        tap.Terminate();
        Assert.That(await tap.WaitForExitAsync(Run), Is.Zero, tap.Output);

        float[] expected = Resampler.Convert(speech, 48000, Rate);
        float[] heard = WavReader.Read(Path.Combine(folder, $"Ada-{joined.StreamId}.wav")).Samples;
        int lag = AudioCompare.FindLag(expected, heard, 5 * Rate);
        double correlation = AudioCompare.Correlation(expected, heard, lag);
        TestContext.Out.WriteLine($"after a 1.5 s freeze: {correlation:F3} at {lag}, {heard.Length - lag - expected.Length} samples beyond the speech");
        Assert.That(correlation, Is.GreaterThanOrEqualTo(0.9), "the speech is all there, on one timeline");
    }

    [Test]
    public async Task Record_StartAndStopFromTheCli_TellsTheRoomAndPrintsTheId()
    {
        string folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "cli-rec-" + Guid.NewGuid().ToString("N")[..8]);
        await using var server = await RelayServer.StartAsync([.. Tokens.ServerArguments, $"--Recording:Folder={folder}"]);
        string url = server.WebSocketUri.ToString();
        await using var member = await TestClient.ConnectAsync(server.WebSocketUri);
        await member.JoinAsync("cli-rec", ParticipantRole.Speaker, token: Tokens.For("cli-rec"));
        string admin = Tokens.For("cli-rec", "subscribe,admin", "operator");

        await using var start = CliProcess.Start("record", "start", "--url", url, "--room", "cli-rec", "--token", admin);
        Assert.That(await start.WaitForExitAsync(Run), Is.Zero, start.Output);
        string id = (await start.ReadStandardOutputAsync()).Trim();
        var told = await member.ExpectAsync<RecordingMessage>();
        await using var refused = CliProcess.Start("record", "stop", "--url", url, "--room", "cli-rec", "--token", Tokens.For("cli-rec"));
        Assert.That(await refused.WaitForExitAsync(Run), Is.EqualTo(1));
        await using var stop = CliProcess.Start("record", "stop", "--url", url, "--room", "cli-rec", "--token", admin);
        Assert.That(await stop.WaitForExitAsync(Run), Is.Zero, stop.Output);
        var ended = await member.ExpectAsync<RecordingMessage>(m => !m.Active);

        Assert.Multiple(() =>
        {
            Assert.That(told.Active && told.Id == id, $"the member is told of recording '{id}'");
            Assert.That(ended.Id, Is.EqualTo(id));
            Assert.That(refused.Output, Does.Contain("forbidden"));
            Assert.That(File.Exists(Path.Combine(folder, id + ".json")));
        });
    }

    private static async Task<float[]> ReadPcmAsync(Stream stdout, int samples)
    {
        var bytes = new byte[samples * 2];
        await stdout.ReadExactlyAsync(bytes);
        var pcm = new float[samples];
        for (int i = 0; i < samples; i++)
        {
            pcm[i] = BitConverter.ToInt16(bytes, 2 * i) / 32768f;
        }

        return pcm;
    }

    private static void Add(float[] signal, int lag, float[] output)
    {
        for (int i = 0; i < signal.Length; i++)
        {
            if (i + lag >= 0 && i + lag < output.Length)
            {
                output[i + lag] += signal[i];
            }
        }
    }
}
