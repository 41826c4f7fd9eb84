using System.Diagnostics;
using WsAudio.Protocol;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Client;

/// <summary><c>wsaudio listen</c>'s outputs behave as ffmpeg's do: no silent overwrite, and a reader that stops ends it.</summary>
public sealed class ListenOutputTests : RelayFixture
{
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Listen_OutFileExists_IsKeptUnlessOverwriteIsGiven()
    {
        string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"kept-{Guid.NewGuid():N}.wav");
        await File.WriteAllTextAsync(path, "an earlier recording");

        await using var refused = CliProcess.Start("listen", "--url", Url.ToString(), "--room", "kept", "--out", path, "--duration", "1");
        int refusedCode = await refused.WaitForExitAsync(Run);
        string kept = await File.ReadAllTextAsync(path);
        await using var replaced = CliProcess.Start("listen", "--url", Url.ToString(), "--room", "kept", "--out", path, "--duration", "1", "-y");
        int replacedCode = await replaced.WaitForExitAsync(Run);

        Assert.Multiple(async () =>
        {
            Assert.That(refusedCode, Is.EqualTo(2));
            Assert.That(refused.Output, Does.Contain("-y"));
            Assert.That(kept, Is.EqualTo("an earlier recording"), "nothing was truncated");
            Assert.That(replacedCode, Is.Zero, replaced.Output);
            Assert.That(await File.ReadAllTextAsync(path), Is.Not.EqualTo("an earlier recording"));
        });
    }

    [Test]
    public async Task Listen_StdoutReaderGoesAway_EndsAtOnceWithExitZero()
    {
        string tool = Path.Combine(AppContext.BaseDirectory, "wsaudio.dll");
        var info = new ProcessStartInfo("bash") { RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"dotnet \"{tool}\" listen --url {Url} --room piped --stdout --quiet | head -c 100000 > /dev/null; exit ${{PIPESTATUS[0]}}");
        using var pipeline = Process.Start(info)!;
        var errors = pipeline.StandardError.ReadToEndAsync();

        await using var broadcaster = await TestClient.ConnectAsync(Url);
        uint stream = (await broadcaster.JoinAsync("piped", ParticipantRole.Broadcaster)).StreamId!.Value;
        var speaking = PacedSpeech.SendAsync(new Voice(broadcaster, stream, [.. Speech.Samples48k(), .. Speech.Samples48k()]));

        // head has its 100,000 bytes about a second into the speech; the broadcast goes on for twelve more.
        await pipeline.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(pipeline.ExitCode, Is.Zero, await errors);
        Assert.That(speaking.IsCompleted, Is.False, "the listener stopped while the room still spoke");
        await speaking;
    }
}
