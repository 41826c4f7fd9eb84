using System.Text;
using System.Text.Json;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Protocol;

public sealed class ControlMessageSerializerTests
{
    [TestCaseSource(typeof(ProtocolVectors), nameof(ProtocolVectors.Messages))]
    public void TryRead_GoldenMessage_RoundTripsToTheSameBytes(JsonElement vector)
    {
        string json = vector.GetProperty("json").GetString()!;
        var sender = vector.GetProperty("from").GetString() == "client" ? MessageSender.Client : MessageSender.Server;

        var status = ControlMessageSerializer.TryRead(Encoding.UTF8.GetBytes(json), sender, out var message, out string detail);

        Assert.That(status, Is.EqualTo(ReadStatus.Ok), detail);
        Assert.That(Encoding.UTF8.GetString(ControlMessageSerializer.Serialize(message!)), Is.EqualTo(json));
    }

    [TestCaseSource(typeof(ProtocolVectors), nameof(ProtocolVectors.Messages))]
    public void TryRead_GoldenMessageFromTheOtherSide_IsUnknownType(JsonElement vector)
    {
        var wrongSender = vector.GetProperty("from").GetString() == "client" ? MessageSender.Server : MessageSender.Client;

        var status = ControlMessageSerializer.TryRead(Encoding.UTF8.GetBytes(vector.GetProperty("json").GetString()!), wrongSender, out _, out string detail);

        Assert.That(status, Is.EqualTo(ReadStatus.UnknownType));
        Assert.That(detail, Does.Contain("sent only by"));
    }

    [Test]
    public void TryRead_JoinWithOnlyRoom_DefaultsToSpeakerWithoutFormat()
    {
        ControlMessageSerializer.TryRead("""{"room":"a","type":"join"}"""u8, MessageSender.Client, out var message, out _);

        var join = (JoinMessage)message!;
        Assert.Multiple(() =>
        {
            Assert.That(join.Room, Is.EqualTo("a"));
            Assert.That(join.Role, Is.EqualTo(ParticipantRole.Speaker));
            Assert.That(join.Format, Is.Null);
        });
    }

    [Test]
    public void TryRead_UnknownFields_AreIgnoredForForwardCompatibility()
    {
        var status = ControlMessageSerializer.TryRead("""{"type":"ping","t":1,"future":{"x":[1,2]}}"""u8, MessageSender.Client, out var message, out _);

        Assert.That(status, Is.EqualTo(ReadStatus.Ok));
        Assert.That(((PingMessage)message!).T, Is.EqualTo(1));
    }

    [TestCase("not json", ReadStatus.InvalidJson)]
    [TestCase("[1,2]", ReadStatus.InvalidJson)]
    [TestCase("\"join\"", ReadStatus.InvalidJson)]
    [TestCase("{\"type\":\"ping\",\"t\":1} {}", ReadStatus.InvalidJson)]
    [TestCase("{\"type\":\"ping\",", ReadStatus.InvalidJson)]
    [TestCase("{}", ReadStatus.UnknownType)]
    [TestCase("{\"type\":42}", ReadStatus.UnknownType)]
    [TestCase("{\"type\":\"dance\"}", ReadStatus.UnknownType)]
    [TestCase("{\"type\":\"joined\"}", ReadStatus.UnknownType)]
    [TestCase("{\"type\":\"join\"}", ReadStatus.InvalidMessage)]
    [TestCase("{\"type\":\"join\",\"room\":null}", ReadStatus.InvalidMessage)]
    [TestCase("{\"type\":\"join\",\"room\":\"a\",\"role\":\"king\"}", ReadStatus.InvalidMessage)]
    [TestCase("{\"type\":\"join\",\"room\":\"a\",\"format\":{\"codec\":\"mp3\"}}", ReadStatus.InvalidMessage)]
    [TestCase("{\"type\":\"mute\"}", ReadStatus.InvalidMessage)]
    [TestCase("{\"type\":\"ping\",\"t\":\"soon\"}", ReadStatus.InvalidMessage)]
    public void TryRead_BadInput_ReportsWhatIsWrongWithoutThrowing(string text, ReadStatus expected)
    {
        var status = ControlMessageSerializer.TryRead(Encoding.UTF8.GetBytes(text), MessageSender.Client, out var message, out string detail);

        Assert.That(status, Is.EqualTo(expected));
        Assert.That(message, Is.Null);
        Assert.That(detail, Is.Not.Empty);
    }

    [Test]
    public void TryRead_InvalidUtf8_IsInvalidJson()
    {
        byte[] bytes = [.. "{\"type\":\"join\",\"room\":\""u8, 0xC3, 0x28, .. "\"}"u8];

        var status = ControlMessageSerializer.TryRead(bytes, MessageSender.Client, out _, out _);

        Assert.That(status, Is.EqualTo(ReadStatus.InvalidJson));
    }

    [Test]
    public void TryRead_DeeplyNestedJson_IsRefusedWithoutThrowing()
    {
        string nested = "{\"type\":\"ping\",\"t\":1,\"x\":" + new string('[', 5000) + new string(']', 5000) + "}";

        var status = ControlMessageSerializer.TryRead(Encoding.UTF8.GetBytes(nested), MessageSender.Client, out _, out _);

        Assert.That(status, Is.EqualTo(ReadStatus.InvalidJson));
    }
}
