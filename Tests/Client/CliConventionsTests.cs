using System.Diagnostics;
using WsAudio.Audio.Opus;
using WsAudio.Audio.Wav;
using WsAudio.Protocol.Framing;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Client;

/// <summary>
/// <c>wsaudio</c> as people who know ffmpeg, sox and shells use it: pipes in and out with <c>-</c>, Ctrl-C, a server
/// that is gone for good, <c>-q</c>, a narrow terminal.
/// </summary>
public sealed class CliConventionsTests : RelayFixture
{
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(60);

    [Test]
    public async Task SendFileDash_WavPipedFromFfmpeg_IsHeardWhileTheInputStillFlows()
    {
        string output = Path.Combine(TestContext.CurrentContext.WorkDirectory, "piped-in.wav");
        await using var listen = CliProcess.Start("listen", "--url", Url.ToString(), "--room", "piped-in", "--out", output, "-y", "--until-offline");
        await listen.WaitForLineAsync("joined");
        await using var watcher = await TestClient.ConnectAsync(Url);
        await watcher.JoinAsync("piped-in", ParticipantRole.Listener);

        // ffmpeg reads the speech in real time and writes stereo 44.1 kHz WAV to a pipe, with no size in its header.
        using var ffmpeg = Tool.Start("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-re", "-i", Speech.Path48k, "-ac", "2", "-ar", "44100", "-f", "wav", "-");
        _ = ffmpeg.StandardError.ReadToEndAsync();
        await using var send = CliProcess.Start("send", "--url", Url.ToString(), "--room", "piped-in", "--file", "-");
        var piping = Task.Run(async () =>
        {
            await ffmpeg.StandardOutput.BaseStream.CopyToAsync(send.StandardInputBytes);
            send.StandardInputBytes.Close();
        });

        await watcher.NextAudioAsync();
        bool inputStillFlowing = !ffmpeg.HasExited;
        await piping;
        Assert.That(await send.WaitForExitAsync(Run), Is.Zero, send.Output);
        Assert.That(await listen.WaitForExitAsync(Run), Is.Zero, listen.Output);

        float[] sent = Speech.Samples48k();
        float[] heard = WavReader.Read(output).Samples;
        int lag = AudioCompare.FindLag(sent, heard, 4800);
        double correlation = AudioCompare.Correlation(sent, heard, lag);
        TestContext.Out.WriteLine($"piped through ffmpeg: correlation {correlation:F3}, {heard.Length} samples heard for {sent.Length}");
        Assert.Multiple(() =>
        {
            Assert.That(inputStillFlowing, Is.True, "the first frame went out while ffmpeg was still writing");
            Assert.That(correlation, Is.GreaterThanOrEqualTo(0.9));
            Assert.That(Math.Abs(heard.Length - sent.Length), Is.LessThanOrEqualTo(2 * 960));
        });
    }

    [Test]
    public async Task ListenOutDash_WritesAWavStreamThatFfmpegReads()
    {
        string decoded = Path.Combine(TestContext.CurrentContext.WorkDirectory, "from-stdout.wav");
        await using var speaker = await TestClient.ConnectAsync(Url);
        var joined = await speaker.JoinAsync("piped-out", ParticipantRole.Broadcaster);
        await using var listen = CliProcess.Start("listen", "--url", Url.ToString(), "--room", "piped-out", "--out", "-", "--until-offline", "-q");
        using var ffmpeg = Tool.Start("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "wav", "-i", "-", "-c:a", "pcm_s16le", decoded);
        _ = ffmpeg.StandardError.ReadToEndAsync();
        var piping = Task.Run(async () =>
        {
            await listen.StandardOutputBytes.CopyToAsync(ffmpeg.StandardInput.BaseStream);
            ffmpeg.StandardInput.Close();
        });
        // -q prints nothing, so the room says when the listener is in.
        await speaker.ExpectAsync<ParticipantJoinedMessage>();
        await PacedSpeech.SendAsync(new Voice(speaker, joined.StreamId!.Value, Speech.Samples48k()));

        Assert.That(await listen.WaitForExitAsync(Run), Is.Zero, listen.Output);
        await piping;
        await ffmpeg.WaitForExitAsync().WaitAsync(Run);
        float[] sent = Speech.Samples48k();
        float[] heard = WavReader.Read(decoded).Samples;
        double correlation = AudioCompare.Correlation(sent, heard, AudioCompare.FindLag(sent, heard, 4800));
        TestContext.Out.WriteLine($"listen --out - | ffmpeg: correlation {correlation:F3}; standard error: '{listen.Output}'");
        Assert.Multiple(() =>
        {
            Assert.That(ffmpeg.ExitCode, Is.Zero);
            Assert.That(correlation, Is.GreaterThanOrEqualTo(0.9));
            Assert.That(listen.Output, Is.Empty, "-q leaves standard error empty when all goes well");
        });
    }

    [Test]
    public async Task Listen_CtrlC_LeavesTheRoomAndExits130()
    {
        await using var speaker = await TestClient.ConnectAsync(Url);
        await speaker.JoinAsync("interrupted");
        await using var listen = CliProcess.Start("listen", "--url", Url.ToString(), "--room", "interrupted", "--stdout");
        var joined = await speaker.ExpectAsync<ParticipantJoinedMessage>();
        await listen.WaitForLineAsync("joined");

        listen.Interrupt();

        var left = await speaker.ExpectAsync<ParticipantLeftMessage>();
        Assert.Multiple(async () =>
        {
            Assert.That(await listen.WaitForExitAsync(Run), Is.EqualTo(130), listen.Output);
            Assert.That((left.ParticipantId, left.Reason), Is.EqualTo((joined.Participant.Id, LeaveReason.Left)));
        });
    }

    [Test]
    public async Task Send_ServerGoneForGood_GivesUpAfterMaxReconnectsWithExitOne()
    {
        await using var server = await RelayServer.StartAsync();
        await using var send = CliProcess.Start("send", "--url", server.WebSocketUri.ToString(), "--room", "gone", "--file", Speech.Path48k, "--loop", "--max-reconnects", "3");
        await send.WaitForLineAsync("joined");

        await server.DisposeAsync();

        Assert.That(await send.WaitForExitAsync(Run), Is.EqualTo(1), send.Output);
        Assert.That(send.Output, Does.Contain("gave up after 3 reconnect attempts"));
    }

    [Test]
    public async Task Send_InANarrowTerminal_KeepsTheStatusLineWithinTheWidth()
    {
        // script(1) gives the tool a real terminal, as a person's, with COLUMNS as a shell sets it.
        string tool = Path.Combine(AppContext.BaseDirectory, "wsaudio.dll");
        var info = new ProcessStartInfo("script") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "-q", "-e", "-c", $"COLUMNS=60 dotnet \"{tool}\" send --url {Url} --room narrow --file \"{Speech.Path48k}\"", "/dev/null" })
        {
            info.ArgumentList.Add(arg);
        }

        using var script = Process.Start(info)!;
        string terminal = await script.StandardOutput.ReadToEndAsync().WaitAsync(Run);
        await script.WaitForExitAsync().WaitAsync(Run);

        string[] statusLines = [.. terminal.Split('\r', '\n').Where(line => line.Contains("sent ", StringComparison.Ordinal) && line.Contains("dB", StringComparison.Ordinal))];
        int widest = statusLines.Length == 0 ? 0 : statusLines.Max(line => line.TrimEnd().Length);
        TestContext.Out.WriteLine($"{statusLines.Length} status redraws, widest {widest} columns: '{statusLines.LastOrDefault()}'");
        Assert.Multiple(() =>
        {
            Assert.That(script.ExitCode, Is.Zero, terminal);
            Assert.That(statusLines, Is.Not.Empty, "the status line is drawn on a terminal");
            Assert.That(widest, Is.LessThan(60));
        });
    }

    [Test]
    public async Task SendChannels2_StereoFile_KeepsEachSideApart()
    {
        // Two different voices, one on each side.
        float[] left = Speech.Samples48k();
        float[] right = WavReader.Read(Speech.OtherPath48k).ToMono48k();
        int length = Math.Max(left.Length, right.Length);
        var interleaved = new float[length * 2];
        for (int i = 0; i < length; i++)
        {
            interleaved[2 * i] = i < left.Length ? left[i] : 0;
            interleaved[(2 * i) + 1] = i < right.Length ? right[i] : 0;
        }

        string stereo = Path.Combine(TestContext.CurrentContext.WorkDirectory, "two-voices.wav");
        using (var writer = new WavWriter(File.Create(stereo), 48000, 2))
        {
            writer.Write(interleaved);
        }

        await using var listener = await TestClient.ConnectAsync(Url);
        await listener.JoinAsync("stereo", ParticipantRole.Listener);
        await using var send = CliProcess.Start("send", "--url", Url.ToString(), "--room", "stereo", "--file", stereo, "--channels", "2", "--bitrate", "96000");
        var started = await listener.ExpectAsync<StreamStartedMessage>();

        using var decoder = new OpusDecoder(48000, 2);
        var heard = new List<float>();
        var pcm = new float[960 * 2];
        while (true)
        {
            byte[] frame = await listener.NextAudioAsync();
            AudioFrameHeader.TryRead(frame, out var header);
            if (frame.Length > ProtocolConstants.HeaderSize)
            {
                int samples = decoder.Decode(frame.AsSpan(ProtocolConstants.HeaderSize), pcm);
                heard.AddRange(pcm.AsSpan(0, samples * 2).ToArray());
            }

            if (header.Flags.HasFlag(FrameFlags.EndOfStream))
            {
                break;
            }
        }

        Assert.That(await send.WaitForExitAsync(Run), Is.Zero, send.Output);
        float[] heardLeft = [.. heard.Where((_, i) => i % 2 == 0)];
        float[] heardRight = [.. heard.Where((_, i) => i % 2 == 1)];
        double Match(float[] sent, float[] got) => AudioCompare.Correlation(sent, got, AudioCompare.FindLag(sent, got, 4800));
        double leftOwn = Match(left, heardLeft);
        double rightOwn = Match(right, heardRight);
        double leftOther = Match(right, heardLeft);
        TestContext.Out.WriteLine($"stereo: left {leftOwn:F3}, right {rightOwn:F3}, left against the right voice {leftOther:F3}");
        Assert.Multiple(() =>
        {
            Assert.That(started.Format.Channels, Is.EqualTo(2));
            Assert.That(leftOwn, Is.GreaterThanOrEqualTo(0.9));
            Assert.That(rightOwn, Is.GreaterThanOrEqualTo(0.9));
            Assert.That(leftOther, Is.LessThan(0.3), "the sides are not mixed");
        });
    }

    [Test]
    public async Task Listen_CtrlCLongAfterTheLastSound_EndsTheFileAtTheLastSound()
    {
        string output = Path.Combine(TestContext.CurrentContext.WorkDirectory, "then-quiet.wav");
        await using var listen = CliProcess.Start("listen", "--url", Url.ToString(), "--room", "then-quiet", "--out", output, "-y");
        await listen.WaitForLineAsync("joined");
        await using var send = CliProcess.Start("send", "--url", Url.ToString(), "--room", "then-quiet", "--file", Speech.Path48k);
        Assert.That(await send.WaitForExitAsync(Run), Is.Zero, send.Output);

        // The room stays quiet for three seconds (measured by a second sender's paced frames) before Ctrl-C.
        await using var quiet = await TestClient.ConnectAsync(Url);
        var joined = await quiet.JoinAsync("unrelated-room", ParticipantRole.Broadcaster);
        await PacedSpeech.SendAsync(new Voice(quiet, joined.StreamId!.Value, new float[3 * 48000]));
        listen.Interrupt();

        Assert.That(await listen.WaitForExitAsync(Run), Is.EqualTo(130), listen.Output);
        float[] sent = Speech.Samples48k();
        float[] heard = WavReader.Read(output).Samples;
        TestContext.Out.WriteLine($"{heard.Length} samples written for {sent.Length} spoken");
        Assert.That(Math.Abs(heard.Length - sent.Length), Is.LessThanOrEqualTo(960), "the file ends after the last sound, within one frame");
    }
}
