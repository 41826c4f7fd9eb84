using System.Text;
using System.Text.Json;
using WsAudio.Protocol;
using WsAudio.Protocol.Messages;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Protocol;

public sealed class JoinedRosterTests
{
    private static IEnumerable<TestCaseData> JoinedVectors() =>
        ProtocolVectors.Messages().Where(c => ((JsonElement)c.Arguments[0]!).GetProperty("json").GetString()!.StartsWith("{\"type\":\"joined\",", StringComparison.Ordinal));

    [TestCaseSource(nameof(JoinedVectors))]
    public void Serialize_GoldenJoined_WritesTheSameBytes(JsonElement vector)
    {
        string json = vector.GetProperty("json").GetString()!;
        ControlMessageSerializer.TryRead(Encoding.UTF8.GetBytes(json), MessageSender.Server, out var message, out _);
        var joined = (JoinedMessage)message!;

        var roster = JoinedRoster.Create(joined.Participants, joined.Streams);

        Assert.That(Encoding.UTF8.GetString(roster.Serialize(joined.Room, joined.ParticipantId, joined.StreamId, joined.Audience)), Is.EqualTo(json));
    }

    // Names that look like the lists' own JSON, quotes and non-ASCII text are escaped as the serializer escapes them.
    [TestCase("\"participants\":[]", "\"streams\":[]", 7u, 3)]
    [TestCase("Zürich \"live\" 🎙", "Ada \\ Bo", null, null)]
    [TestCase("", "", 0u, 0)]
    public void Serialize_AnyRoomAndNames_EqualsTheSerializedMessage(string room, string name, uint? streamId, int? audience)
    {
        var participants = new[]
        {
            new ParticipantInfo { Id = "pa2b3c4d5e6", Name = name, Role = ParticipantRole.Broadcaster, StreamId = 9 },
            new ParticipantInfo { Id = "pz9y8x7w6v5", Name = room, Role = ParticipantRole.Listener, Muted = true },
        };
        var streams = new[] { new StreamInfo { StreamId = 9, ParticipantId = "pa2b3c4d5e6", Format = new AudioFormat { Codec = AudioCodec.Opus, SampleRate = 48000, Channels = 1 } } };
        var expected = ControlMessageSerializer.Serialize(new JoinedMessage
        {
            Room = room,
            ParticipantId = "pq1w2e3r4t5",
            StreamId = streamId,
            Participants = participants,
            Streams = streams,
            Audience = audience,
        });

        byte[] written = JoinedRoster.Create(participants, streams).Serialize(room, "pq1w2e3r4t5", streamId, audience);

        Assert.That(Encoding.UTF8.GetString(written), Is.EqualTo(Encoding.UTF8.GetString(expected)));
    }

    [Test]
    public void Serialize_EmptyRoster_WritesEmptyLists()
    {
        byte[] written = JoinedRoster.Create([], []).Serialize("lobby", "pq1w2e3r4t5", null, null);

        Assert.That(Encoding.UTF8.GetString(written), Is.EqualTo("""{"type":"joined","room":"lobby","participantId":"pq1w2e3r4t5","participants":[],"streams":[]}"""));
    }
}
