using System.Net.WebSockets;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Relay;

/// <summary>
/// Each bad input gets its error code (and, for violations, its close code), is logged once, and leaves another
/// room streaming without a lost frame.
/// </summary>
public sealed class BadInputTests : RelayFixture
{
    private const int ProtocolViolationEvent = 7;
    private const int MessageRefusedEvent = 8;
    private BackgroundRoom _background = null!;
    private int _roomCounter;
    private int _logMark;

    [OneTimeSetUp]
    public async Task StartBackgroundRoom()
    {
        _background = await BackgroundRoom.StartAsync(Url, "background");
        await _background.AssertFlowingAsync();
    }

    [OneTimeTearDown]
    public async Task StopBackgroundRoom() => await _background.DisposeAsync();

    [SetUp]
    public void MarkLog() => _logMark = Server.Logs.Entries.Count;

    [TearDown]
    public async Task BackgroundRoomKeptStreaming() => await _background.AssertFlowingAsync();

    [Test]
    public async Task Audio_BeforeJoin_IsPolicyViolation()
    {
        await using var client = await TestClient.ConnectAsync(Url);

        await client.SendBinaryAsync(Frames.Audio(1, 0, Frames.Payload(0)));

        await ExpectClosedAsync(client, ErrorCodes.NotJoined, WebSocketCloseStatus.PolicyViolation);
    }

    [Test]
    public async Task Audio_ShorterThanHeader_IsProtocolError()
    {
        var (client, _) = await JoinedSpeakerAsync();

        await client.SendBinaryAsync(new byte[10]);

        await ExpectClosedAsync(client, ErrorCodes.MalformedFrame, WebSocketCloseStatus.ProtocolError);
    }

    [Test]
    public async Task Audio_WithVersion2_IsProtocolError()
    {
        var (client, stream) = await JoinedSpeakerAsync();
        byte[] frame = Frames.Audio(stream, 0, Frames.Payload(0));
        frame[0] = 2;

        await client.SendBinaryAsync(frame);

        await ExpectClosedAsync(client, ErrorCodes.MalformedFrame, WebSocketCloseStatus.ProtocolError);
    }

    [Test]
    public async Task Audio_WithUnknownFrameType_IsUnsupportedData()
    {
        var (client, stream) = await JoinedSpeakerAsync();
        byte[] frame = Frames.Audio(stream, 0, Frames.Payload(0));
        frame[1] = 9;

        await client.SendBinaryAsync(frame);

        await ExpectClosedAsync(client, ErrorCodes.UnknownFrameType, WebSocketCloseStatus.InvalidMessageType);
    }

    [Test]
    public async Task Audio_WithUnknownCodec_IsUnsupportedData()
    {
        var (client, stream) = await JoinedSpeakerAsync();
        byte[] frame = Frames.Audio(stream, 0, Frames.Payload(0));
        frame[2] = 7;

        await client.SendBinaryAsync(frame);

        await ExpectClosedAsync(client, ErrorCodes.UnsupportedCodec, WebSocketCloseStatus.InvalidMessageType);
    }

    [Test]
    public async Task Audio_WithCodecOtherThanDeclared_IsUnsupportedData()
    {
        var (client, stream) = await JoinedSpeakerAsync();

        await client.SendBinaryAsync(Frames.Audio(stream, 0, Frames.Payload(0), AudioCodec.Pcm16));

        await ExpectClosedAsync(client, ErrorCodes.UnsupportedCodec, WebSocketCloseStatus.InvalidMessageType);
    }

    [Test]
    public async Task Audio_WithSomeoneElsesStreamId_IsPolicyViolation()
    {
        var (victim, victimStream) = await JoinedSpeakerAsync();
        await using var listener = await TestClient.ConnectAsync(Url);
        string room = $"bad-{_roomCounter}";
        await listener.JoinAsync(room, ParticipantRole.Listener);
        await using var spoofer = await TestClient.ConnectAsync(Url);
        await spoofer.JoinAsync(room);

        await spoofer.SendBinaryAsync(Frames.Audio(victimStream, 0, Frames.Payload(0)));

        await ExpectClosedAsync(spoofer, ErrorCodes.StreamIdMismatch, WebSocketCloseStatus.PolicyViolation);
        await listener.SendAsync(new PingMessage { T = 1 });
        await listener.ExpectAsync<PongMessage>();
        Assert.That(listener.Arrivals.OfType<byte[]>(), Is.Empty, "the spoofed frame was not forwarded");
        await victim.DisposeAsync();
    }

    [Test]
    public async Task Audio_FromListener_IsPolicyViolation()
    {
        await using var client = await TestClient.ConnectAsync(Url);
        await client.JoinAsync(NextRoom(), ParticipantRole.Listener);

        await client.SendBinaryAsync(Frames.Audio(1, 0, Frames.Payload(0)));

        await ExpectClosedAsync(client, ErrorCodes.SendNotAllowed, WebSocketCloseStatus.PolicyViolation);
    }

    [TestCase(WebSocketMessageType.Binary)]
    [TestCase(WebSocketMessageType.Text)]
    public async Task Message_LargerThanLimit_IsMessageTooBig(WebSocketMessageType type)
    {
        var (client, _) = await JoinedSpeakerAsync();

        await client.SendRawAsync(new byte[(16 * 1024) + 1], type);

        await ExpectClosedAsync(client, ErrorCodes.MessageTooBig, WebSocketCloseStatus.MessageTooBig);
    }

    [TestCase("this is not json")]
    [TestCase("[\"join\"]")]
    [TestCase("{\"type\":\"join\",")]
    public async Task Text_NotAJsonObject_IsInvalidPayload(string text)
    {
        await using var client = await TestClient.ConnectAsync(Url);

        await client.SendTextAsync(text);

        await ExpectClosedAsync(client, ErrorCodes.InvalidJson, WebSocketCloseStatus.InvalidPayloadData);
    }

    [Test]
    public async Task Text_InvalidUtf8_FailsTheConnectionAtTheWebSocketLayer()
    {
        await using var client = await TestClient.ConnectAsync(Url);

        await client.SendRawAsync([.. "{\"type\":\"join\",\"room\":\""u8, 0xC3, 0x28, .. "\"}"u8], WebSocketMessageType.Text);

        // RFC 6455 §8.1: the server's WebSocket layer fails the connection before the message reaches WsAudio.
        // It sends 1007 first, but the abort that follows can overtake that frame, so either ending is correct.
        var closed = await client.Closed.WaitAsync(Timeouts.Event);
        Assert.That(closed.Status, Is.Null.Or.EqualTo(WebSocketCloseStatus.InvalidPayloadData), closed.Description);
        Assert.That(client.Arrivals, Is.Empty, "the message never joined a room");
    }

    [TestCase("{\"type\":\"dance\"}", ErrorCodes.UnknownMessageType)]
    [TestCase("{\"room\":\"x\"}", ErrorCodes.UnknownMessageType)]
    [TestCase("{\"type\":\"joined\",\"room\":\"x\"}", ErrorCodes.UnknownMessageType)]
    [TestCase("{\"type\":\"join\"}", ErrorCodes.InvalidMessage)]
    [TestCase("{\"type\":\"join\",\"room\":\"x\",\"role\":\"king\"}", ErrorCodes.InvalidMessage)]
    [TestCase("{\"type\":\"join\",\"room\":\"bad room!\"}", ErrorCodes.InvalidRoom)]
    [TestCase("{\"type\":\"join\",\"room\":\"x\",\"name\":\"a\\u0000b\"}", ErrorCodes.InvalidName)]
    [TestCase("{\"type\":\"join\",\"room\":\"x\",\"format\":{\"codec\":\"pcm16\",\"sampleRate\":12345,\"channels\":1}}", ErrorCodes.InvalidFormat)]
    [TestCase("{\"type\":\"leave\"}", ErrorCodes.NotJoined)]
    [TestCase("{\"type\":\"mute\",\"muted\":true}", ErrorCodes.NotJoined)]
    public async Task Text_RefusedMessage_GetsErrorAndTheConnectionStaysUsable(string text, string code)
    {
        await using var client = await TestClient.ConnectAsync(Url);

        await client.SendTextAsync(text);

        var error = await client.NextAsync<ErrorMessage>();
        Assert.That(error.Code, Is.EqualTo(code));
        Assert.That(error.Message, Is.Not.Empty);
        Assert.That((await client.JoinAsync(NextRoom())).Room, Does.StartWith("bad-"), "the connection still works");
        Assert.That(LogCount(MessageRefusedEvent, code), Is.EqualTo(1), "logged once");
    }

    [TestCaseSource(typeof(ProtocolVectors), nameof(ProtocolVectors.InvalidMessages))]
    public async Task Text_InvalidMessageVector_GetsItsCodeAndTheConnectionStaysOpen(System.Text.Json.JsonElement vector)
    {
        await using var client = await TestClient.ConnectAsync(Url);

        await client.SendTextAsync(vector.GetProperty("json").GetString()!);

        Assert.That((await client.NextAsync<ErrorMessage>()).Code, Is.EqualTo(vector.GetProperty("code").GetString()));
        Assert.That((await client.JoinAsync(NextRoom())).Room, Does.StartWith("bad-"), "the connection still works");
    }

    [TestCaseSource(typeof(ProtocolVectors), nameof(ProtocolVectors.InvalidFrames))]
    public async Task Audio_InvalidFrameVector_GetsItsCodeAndCloseCode(System.Text.Json.JsonElement vector)
    {
        var (client, _) = await JoinedSpeakerAsync();

        await client.SendBinaryAsync(Convert.FromHexString(vector.GetProperty("hex").GetString()!));

        await ExpectClosedAsync(client, vector.GetProperty("code").GetString()!, (WebSocketCloseStatus)vector.GetProperty("close").GetInt32());
    }

    [Test]
    public async Task Ping_WithANumberOfThousandsOfDigits_IsInvalidMessageAndTheConnectionStaysUsable()
    {
        await using var client = await TestClient.ConnectAsync(Url);

        await client.SendTextAsync($"{{\"type\":\"ping\",\"t\":{new string('9', 15_000)}}}");

        Assert.That((await client.NextAsync<ErrorMessage>()).Code, Is.EqualTo(ErrorCodes.InvalidMessage));
        await client.SendAsync(new PingMessage { T = 9007199254740993 });
        Assert.That((await client.NextAsync<PongMessage>()).T, Is.EqualTo(9007199254740992d), "t comes back as the double it was read as");
        Assert.That(Server.Logs.Entries.Skip(_logMark).Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error), Is.Empty);
    }

    [Test]
    public async Task Join_ListenerWithAnUnknownCodec_IsAdmittedBecauseItsFormatIsNotUsed()
    {
        await using var client = await TestClient.ConnectAsync(Url);

        await client.SendTextAsync($"{{\"type\":\"join\",\"room\":\"{NextRoom()}\",\"role\":\"listener\",\"format\":{{\"codec\":\"flac\",\"sampleRate\":44100,\"channels\":2}}}}");

        Assert.That((await client.NextAsync<JoinedMessage>()).StreamId, Is.Null);
    }

    [Test]
    public async Task InvalidMessage_Detail_NamesTheFieldAndNoDotNetType()
    {
        await using var client = await TestClient.ConnectAsync(Url);

        await client.SendTextAsync("{\"type\":\"join\",\"room\":\"x\",\"role\":\"king\"}");
        var wrongValue = await client.NextAsync<ErrorMessage>();
        await client.SendTextAsync("{\"type\":\"join\",\"room\":5}");
        var wrongType = await client.NextAsync<ErrorMessage>();
        await client.SendTextAsync("{\"type\":\"join\"}");
        var missing = await client.NextAsync<ErrorMessage>();

        Assert.Multiple(() =>
        {
            Assert.That(wrongValue.Message, Does.Contain("'role'").And.Contain("'speaker'").And.Not.Contain("WsAudio."));
            Assert.That(wrongType.Message, Does.Contain("'room'").And.Not.Contain("WsAudio.").And.Not.Contain("System."));
            Assert.That(missing.Message, Does.Contain("'room'").And.Not.Contain("WsAudio."));
        });
    }

    [Test]
    public async Task RefusedMessages_ClientText_IsLoggedEscapedTruncatedAndOnlyAFewTimes()
    {
        await using var client = await TestClient.ConnectAsync(Url);
        string escape = @"\u001b[2J\u001b[31mforged\nline"; // JSON escapes: ESC and a line break reach the server

        for (int i = 0; i < 10; i++)
        {
            await client.SendTextAsync($"{{\"type\":\"{escape}{new string('x', 5_000)}\"}}");
            Assert.That((await client.NextAsync<ErrorMessage>()).Code, Is.EqualTo(ErrorCodes.UnknownMessageType));
        }

        var logged = Server.Logs.Entries.Skip(_logMark).Where(e => e.EventId.Id == MessageRefusedEvent).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(logged, Has.Count.EqualTo(3), "the first refusals of a connection are logged, not every one");
            Assert.That(logged.All(e => !e.Message.Any(char.IsControl)), Is.True, "no control character reaches the log");
            Assert.That(logged[0].Message, Does.Contain(@"\u001b[2J"));
            Assert.That(logged.Max(e => e.Message.Length), Is.LessThan(400));
        });
    }

    [Test]
    public async Task Join_Twice_IsRefusedAsAlreadyJoined()
    {
        var (client, _) = await JoinedSpeakerAsync();

        await client.SendAsync(new JoinMessage { Room = "elsewhere" });

        Assert.That((await client.NextAsync<ErrorMessage>()).Code, Is.EqualTo(ErrorCodes.AlreadyJoined));
        Assert.That(Server.Rooms.Find("elsewhere"), Is.Null);
    }

    private async Task<(TestClient Client, uint Stream)> JoinedSpeakerAsync()
    {
        var client = await TestClient.ConnectAsync(Url);
        var joined = await client.JoinAsync(NextRoom());
        return (client, joined.StreamId!.Value);
    }

    private string NextRoom() => $"bad-{Interlocked.Increment(ref _roomCounter)}";

    private async Task ExpectClosedAsync(TestClient client, string code, WebSocketCloseStatus status)
    {
        var error = await client.ExpectAsync<ErrorMessage>();
        var (closeStatus, description) = await client.Closed.WaitAsync(Timeouts.Event);

        Assert.Multiple(() =>
        {
            Assert.That(error.Code, Is.EqualTo(code));
            Assert.That(closeStatus, Is.EqualTo(status));
            Assert.That(description, Is.EqualTo(code));
            Assert.That(LogCount(ProtocolViolationEvent, code), Is.EqualTo(1), "logged once");
        });
        await client.DisposeAsync();
    }

    // Counts what this test caused: tests in a fixture run one at a time, and the background room logs nothing.
    private int LogCount(int eventId, string code) =>
        Server.Logs.Entries.Skip(_logMark).Count(e => e.EventId.Id == eventId && e.Message.Contains($" {code}", StringComparison.Ordinal));
}
