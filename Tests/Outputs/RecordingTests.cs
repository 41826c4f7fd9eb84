using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using WsAudio.Audio.Wav;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Outputs;

/// <summary>
/// An admin records a room: each stream's packets into an Ogg Opus file that the usual tools play, with a sidecar
/// saying who spoke when; a disk that refuses stops the recording, never the room.
/// </summary>
public sealed class RecordingTests
{
    private const int RecordedEvent = 51;

    [Test]
    public async Task Record_TwoSpeakerConversation_FilesPlayAsTheVoicesAndTheSidecarHasTheirTimes()
    {
        string folder = NewFolder();
        await using var server = await RelayServer.StartAsync([.. Tokens.ServerArguments, $"--Recording:Folder={folder}"]);
        await using var admin = await TestClient.ConnectAsync(server.WebSocketUri);
        await admin.JoinAsync("rec-talk", ParticipantRole.Listener, token: Tokens.For("rec-talk", "subscribe,admin", "moderator"));
        await using var ada = await TestClient.ConnectAsync(server.WebSocketUri);
        var adaJoined = await ada.JoinAsync("rec-talk", ParticipantRole.Speaker, token: Tokens.For("rec-talk", identity: "ada", name: "Ada"));
        await using var bob = await TestClient.ConnectAsync(server.WebSocketUri);
        var bobJoined = await bob.JoinAsync("rec-talk", ParticipantRole.Speaker, token: Tokens.For("rec-talk", identity: "bob", name: "Bob"));

        await admin.SendAsync(new RecordMessage { Action = RecordAction.Start });
        var started = await admin.ExpectAsync<RecordingMessage>();
        var toldAda = await ada.ExpectAsync<RecordingMessage>();

        float[] one = Speech.Samples48k();
        float[] other = WavReader.Read(Speech.OtherPath48k).ToMono48k();
        var adaSent = await PacedSpeech.SendAsync(new Voice(ada, adaJoined.StreamId!.Value, one));

        // While the recording runs, Ada's file has no end yet: a copy of it must already play.
        string adaFile = Path.Combine(folder, $"{started.Id}-{adaJoined.StreamId}.opus");
        string partial = Path.Combine(folder, "partial-copy.opus");
        File.Copy(adaFile, partial);
        var bobSent = await PacedSpeech.SendAsync(new Voice(bob, bobJoined.StreamId!.Value, other));

        await admin.SendAsync(new RecordMessage { Action = RecordAction.Stop });
        var stopped = await admin.ExpectAsync<RecordingMessage>(m => !m.Active);
        await server.Logs.WaitForAsync(l => l.EventId.Id == RecordedEvent && l.Message.Contains(started.Id, StringComparison.Ordinal));

        var sidecar = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, started.Id + ".json"))).RootElement;
        var files = sidecar.GetProperty("files").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(started.Active && toldAda.Active && toldAda.Id == started.Id, "everyone in the room is told it is recorded");
            Assert.That(stopped.Id, Is.EqualTo(started.Id));
            Assert.That(started.Id, Does.StartWith("rec-talk-"));
            Assert.That(sidecar.GetProperty("status").GetString(), Is.EqualTo("stopped"));
            Assert.That(sidecar.GetProperty("startedBy").GetString(), Is.EqualTo("moderator"));
            Assert.That(files.Select(f => f.GetProperty("name").GetString()), Is.EquivalentTo(new[] { "Ada", "Bob" }));
            Assert.That(sidecar.GetProperty("participants").GetArrayLength(), Is.EqualTo(2));
        });

        foreach (var (file, sent, samples) in new[] { (Find(files, "Ada"), adaSent[0], one), (Find(files, "Bob"), bobSent[0], other) })
        {
            string path = Path.Combine(folder, file.GetProperty("file").GetString()!);
            Tool.Run("opusinfo", path);
            string decoded = path + ".wav";
            Tool.Run("opusdec", "--quiet", "--rate", "48000", path, decoded);
            float[] heard = WavReader.Read(decoded).ToMono48k();
            double correlation = AudioCompare.Correlation(samples, heard, AudioCompare.FindLag(samples, heard, 48000));
            var firstFrame = DateTimeOffset.Parse(file.GetProperty("started").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            double offsetMs = (firstFrame - sent).TotalMilliseconds;
            TestContext.Out.WriteLine($"{file.GetProperty("name")}: correlation {correlation:F3}, first frame recorded {offsetMs:F1} ms after it was sent, {file.GetProperty("frames")} frames");
            Assert.Multiple(() =>
            {
                Assert.That(correlation, Is.GreaterThanOrEqualTo(0.9));
                Assert.That(offsetMs, Is.InRange(-50, 50), "the sidecar's time is when the speaker spoke");
                Assert.That(file.GetProperty("lost").GetInt64(), Is.Zero);
            });
        }

        // The copy taken mid-recording: ffmpeg plays it, as far as it goes, as Ada's voice.
        string partialWav = partial + ".wav";
        Tool.Run("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-i", partial, "-ac", "1", "-ar", "48000", "-y", partialWav);
        float[] partialHeard = WavReader.Read(partialWav).ToMono48k();
        double partialCorrelation = AudioCompare.Correlation(one, partialHeard, AudioCompare.FindLag(one, partialHeard, 48000));
        TestContext.Out.WriteLine($"copy of the open file: {partialHeard.Length / 48.0:F0} ms, correlation {partialCorrelation:F3}");
        Assert.That(partialCorrelation, Is.GreaterThanOrEqualTo(0.9));

        await AssertListingAsync(server, started.Id);
    }

    [Test]
    public async Task Record_FolderCannotBeMade_AdminIsToldAndTheRoomGoesOn()
    {
        string blocker = Path.Combine(NewFolder(), "a-file");
        await File.WriteAllTextAsync(blocker, "not a folder");
        await using var server = await RelayServer.StartAsync([.. Tokens.ServerArguments, $"--Recording:Folder={Path.Combine(blocker, "recordings")}"]);
        await using var admin = await TestClient.ConnectAsync(server.WebSocketUri);
        await admin.JoinAsync("rec-nofolder", ParticipantRole.Listener, token: Tokens.For("rec-nofolder", "subscribe,admin"));
        await using var speaker = await TestClient.ConnectAsync(server.WebSocketUri);
        uint stream = (await speaker.JoinAsync("rec-nofolder", ParticipantRole.Speaker, token: Tokens.For("rec-nofolder"))).StreamId!.Value;

        await admin.SendAsync(new RecordMessage { Action = RecordAction.Start });
        var error = await admin.ExpectAsync<ErrorMessage>();
        await speaker.SendBinaryAsync(Frames.Audio(stream, 0, Frames.Payload(0)));
        var frame = await admin.NextAudioAsync();

        Assert.Multiple(() =>
        {
            Assert.That(error.Code, Is.EqualTo(ErrorCodes.RecordingFailed), error.Message);
            Assert.That(Frames.SequenceOf(frame), Is.Zero, "the room goes on");
        });
    }

    [Test]
    public async Task Record_DiskRefusesAWrite_StopsWithAnErrorToTheAdminAndTheRoomGoesOn()
    {
        // Files may hold 8 KiB (about a second of speech); the server ignores SIGXFSZ, so a larger write fails as a full
        // disk would. The runtime's double-mapped code memory is a file too: it is turned off to fit under the limit.
        string folder = NewFolder();
        await using var server = await ServerProcess.StartLimitedAsync("export DOTNET_EnableWriteXorExecute=0; trap '' XFSZ; ulimit -f 8", [.. Tokens.ServerArguments, $"--Recording:Folder={folder}"]);
        await using var admin = await TestClient.ConnectAsync(server.WebSocketUri);
        await admin.JoinAsync("rec-full", ParticipantRole.Listener, token: Tokens.For("rec-full", "subscribe,admin"));
        await using var speaker = await TestClient.ConnectAsync(server.WebSocketUri);
        var joined = await speaker.JoinAsync("rec-full", ParticipantRole.Speaker, token: Tokens.For("rec-full"));
        await admin.SendAsync(new RecordMessage { Action = RecordAction.Start });
        var started = await admin.ExpectAsync<RecordingMessage>();

        float[] speech = Speech.Samples48k();
        await PacedSpeech.SendAsync(new Voice(speaker, joined.StreamId!.Value, speech));
        int frames = (speech.Length + 959) / 960;
        var received = new List<uint>();
        while (received.Count < frames)
        {
            received.Add(Frames.SequenceOf(await admin.NextAudioAsync()));
        }

        var failed = admin.Arrivals.OfType<ErrorMessage>().SingleOrDefault() ?? await admin.ExpectAsync<ErrorMessage>();
        var ended = admin.Arrivals.OfType<RecordingMessage>().Where(m => !m.Active).ToList();
        var sidecar = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, started.Id + ".json"))).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(failed.Code, Is.EqualTo(ErrorCodes.RecordingFailed), failed.Message);
            Assert.That(ended.Select(m => m.Id), Is.EqualTo(new[] { started.Id }), "the room is told the recording stopped");
            Assert.That(received, Is.EqualTo(Enumerable.Range(0, frames).Select(i => (uint)i)), "the room lost nothing");
            Assert.That(sidecar.GetProperty("status").GetString(), Is.EqualTo("failed"));
            Assert.That(server.HasExited, Is.False);
        });
    }

    [Test]
    public async Task Record_WithoutTheAdminGrant_IsForbiddenAndTheConnectionStays()
    {
        await using var server = await RelayServer.StartAsync([.. Tokens.ServerArguments, $"--Recording:Folder={NewFolder()}"]);
        await using var speaker = await TestClient.ConnectAsync(server.WebSocketUri);
        await speaker.JoinAsync("rec-nope", ParticipantRole.Speaker, token: Tokens.For("rec-nope"));

        await speaker.SendAsync(new RecordMessage { Action = RecordAction.Start });
        var refused = await speaker.NextAsync<ErrorMessage>();
        await speaker.SendAsync(new PingMessage { T = 1 });

        Assert.That(refused.Code, Is.EqualTo(ErrorCodes.Forbidden));
        Assert.That((await speaker.NextAsync<PongMessage>()).T, Is.EqualTo(1));
    }

    [Test]
    public async Task Record_StopWhenNotRecording_IsNotRecording()
    {
        await using var server = await RelayServer.StartAsync([.. Tokens.ServerArguments, $"--Recording:Folder={NewFolder()}"]);
        await using var admin = await TestClient.ConnectAsync(server.WebSocketUri);
        await admin.JoinAsync("rec-idle", ParticipantRole.Listener, token: Tokens.For("rec-idle", "subscribe,admin"));

        await admin.SendAsync(new RecordMessage { Action = RecordAction.Stop });

        Assert.That((await admin.NextAsync<ErrorMessage>()).Code, Is.EqualTo(ErrorCodes.NotRecording));
    }

    [Test]
    public async Task Record_RoomNamedInConfiguration_IsRecordedFromItsFirstMemberToItsLast()
    {
        string folder = NewFolder();
        await using var server = await RelayServer.StartAsync($"--Recording:Folder={folder}", "--Recording:Rooms:0=show-*");
        await using var host = await TestClient.ConnectAsync(server.WebSocketUri);
        var joined = await host.JoinAsync("show-1", ParticipantRole.Broadcaster, "Host");
        var told = await host.ExpectAsync<RecordingMessage>();
        await using var other = await TestClient.ConnectAsync(server.WebSocketUri);
        await other.JoinAsync("other-room", ParticipantRole.Listener);

        await PacedSpeech.SendAsync(new Voice(host, joined.StreamId!.Value, Speech.Samples48k()[..48000]));
        await host.SendAsync(new LeaveMessage());
        await server.Logs.WaitForAsync(l => l.EventId.Id == RecordedEvent && l.Message.Contains(told.Id, StringComparison.Ordinal));

        var sidecar = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, told.Id + ".json"))).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(told.Active);
            Assert.That(sidecar.GetProperty("startedBy").GetString(), Is.EqualTo("configuration"));
            Assert.That(sidecar.GetProperty("status").GetString(), Is.EqualTo("stopped"));
            Assert.That(sidecar.GetProperty("files").GetArrayLength(), Is.EqualTo(1));
            Assert.That(Directory.GetFiles(folder, "other-room*"), Is.Empty, "rooms not named are not recorded");
        });
    }

    private static async Task AssertListingAsync(RelayServer server, string id)
    {
        using var http = new HttpClient { BaseAddress = server.HttpUri };
        using var anonymous = await http.GetAsync("api/recordings");
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/recordings");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For("*", "subscribe,admin"));
        using var listed = await http.SendAsync(request);
        using var notAdmin = await http.GetAsync($"api/recordings?token={Tokens.For("*", "subscribe")}");
        using var otherRooms = await http.GetAsync($"api/recordings?token={Tokens.For("elsewhere-*", "subscribe,admin")}");
        var recordings = JsonDocument.Parse(await listed.Content.ReadAsStringAsync()).RootElement.GetProperty("recordings");
        var others = JsonDocument.Parse(await otherRooms.Content.ReadAsStringAsync()).RootElement.GetProperty("recordings");
        Assert.Multiple(() =>
        {
            Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(notAdmin.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(listed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(recordings.EnumerateArray().Select(r => r.GetProperty("id").GetString()), Does.Contain(id));
            Assert.That(others.GetArrayLength(), Is.Zero, "a token for other rooms lists none of these");
        });
    }

    private static JsonElement Find(List<JsonElement> files, string name) => files.Single(f => f.GetProperty("name").GetString() == name);

    private static string NewFolder()
    {
        string folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "recordings-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
