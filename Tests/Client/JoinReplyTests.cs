using System.Text;
using System.Text.Json;
using WsAudio.Cli.Bot;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Client;

/// <summary>The bot's reading of the server's answer to a join, checked against the shared protocol vectors.</summary>
public sealed class JoinReplyTests
{
    [Test]
    public void TryRead_JoinedOfASpeaker_GivesItsStreamId() =>
        AssertReply("joined", joined: true, stream: 42u, code: null);

    [Test]
    public void TryRead_JoinedOfAnAudienceListener_HasNoStreamId() =>
        AssertReply("joined-with-audience", joined: true, stream: null, code: null);

    [Test]
    public void TryRead_Error_GivesItsCodeAndMessage()
    {
        AssertReply("error", joined: false, stream: null, code: "invalid-room");
        Assert.That(JoinReply.TryRead(Vector("error"), out var reply) && reply.ErrorMessage == "room names are 1-64 characters");
    }

    [Test]
    public void TryRead_OtherServerMessage_IsNeitherJoinedNorError()
    {
        Assert.That(JoinReply.TryRead(Vector("participant-joined"), out var reply), Is.True);
        Assert.That((reply.IsJoined, reply.IsError, reply.StreamId), Is.EqualTo((false, false, (uint?)null)),
            "the participant's own streamId is nested, not the joiner's");
    }

    [Test]
    public void TryRead_KnownFieldHoldingAnObject_IsPassedOverWhole()
    {
        Assert.That(JoinReply.TryRead("{\"type\":{\"type\":\"joined\",\"streamId\":5},\"code\":7}"u8, out var reply), Is.True);
        Assert.That(reply, Is.EqualTo(new JoinReply(null, null, null, null)), "nothing nested is taken for the message's own fields");
    }

    [TestCase("[1,2]")]
    [TestCase("{\"type\":\"joined\",")]
    [TestCase("not json")]
    public void TryRead_NotAJsonObject_IsFalse(string text) =>
        Assert.That(JoinReply.TryRead(Encoding.UTF8.GetBytes(text), out _), Is.False);

    private static void AssertReply(string vector, bool joined, uint? stream, string? code)
    {
        Assert.That(JoinReply.TryRead(Vector(vector), out var reply), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(reply.IsJoined, Is.EqualTo(joined));
            Assert.That(reply.IsError, Is.EqualTo(code is not null));
            Assert.That(reply.StreamId, Is.EqualTo(stream));
            Assert.That(reply.ErrorCode, Is.EqualTo(code));
        });
    }

    private static byte[] Vector(string name)
    {
        foreach (var data in ProtocolVectors.Messages())
        {
            var vector = (JsonElement)data.Arguments[0]!;
            if (vector.GetProperty("name").GetString() == name)
            {
                return Encoding.UTF8.GetBytes(vector.GetProperty("json").GetString()!);
            }
        }

        throw new ArgumentException($"no protocol vector named {name}", nameof(name));
    }
}
