using System.Text.Json;

namespace WsAudio.Protocol.Messages;

/// <summary>
/// The participants and streams of a <c>joined</c>, serialized once for every joiner that gets the same ones: a
/// broadcast's audience members all see the same listed members, so each join costs one copy of these bytes instead
/// of building and serializing the lists again.
/// </summary>
public sealed class JoinedRoster
{
    private static readonly byte[] ParticipantsSlot = "\"participants\":[]"u8.ToArray();
    private static readonly byte[] StreamsSlot = "\"streams\":[]"u8.ToArray();

    private readonly byte[] _participants;
    private readonly byte[] _streams;

    private JoinedRoster(byte[] participants, byte[] streams)
    {
        _participants = participants;
        _streams = streams;
    }

    /// <summary>Serializes <paramref name="participants"/> and <paramref name="streams"/> as a <c>joined</c> carries them.</summary>
    public static JoinedRoster Create(IReadOnlyList<ParticipantInfo> participants, IReadOnlyList<StreamInfo> streams) => new(
        JsonSerializer.SerializeToUtf8Bytes(participants, ControlMessageJsonContext.Default.IReadOnlyListParticipantInfo),
        JsonSerializer.SerializeToUtf8Bytes(streams, ControlMessageJsonContext.Default.IReadOnlyListStreamInfo));

    /// <summary>
    /// The <c>joined</c> for one joiner, byte for byte what <see cref="ControlMessageSerializer.Serialize"/> writes for
    /// the same message.
    /// </summary>
    public byte[] Serialize(string room, string participantId, uint? streamId, int? audience)
    {
        // The joiner's own fields serialized as usual around empty lists, which the roster's bytes then fill. String
        // values are escaped, so the empty lists' property names occur only as the properties themselves.
        byte[] frame = ControlMessageSerializer.Serialize(new JoinedMessage
        {
            Room = room,
            ParticipantId = participantId,
            StreamId = streamId,
            Participants = [],
            Streams = [],
            Audience = audience,
        });
        var source = frame.AsSpan();
        int participantsSlot = source.LastIndexOf(ParticipantsSlot);
        int streamsSlot = source.LastIndexOf(StreamsSlot);
        if (participantsSlot < 0 || streamsSlot < participantsSlot)
        {
            throw new InvalidOperationException("a joined message without its lists in the expected order");
        }

        // Each "[]" is replaced by the list it stands for.
        int participantsAt = participantsSlot + ParticipantsSlot.Length - 2;
        int streamsAt = streamsSlot + StreamsSlot.Length - 2;
        byte[] joined = new byte[frame.Length - 4 + _participants.Length + _streams.Length];
        var target = joined.AsSpan();
        source[..participantsAt].CopyTo(target);
        target = target[participantsAt..];
        _participants.CopyTo(target);
        target = target[_participants.Length..];
        source[(participantsAt + 2)..streamsAt].CopyTo(target);
        target = target[(streamsAt - participantsAt - 2)..];
        _streams.CopyTo(target);
        target = target[_streams.Length..];
        source[(streamsAt + 2)..].CopyTo(target);
        return joined;
    }
}
