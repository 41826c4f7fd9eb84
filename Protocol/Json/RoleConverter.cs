namespace WsAudio.Protocol.Json;

internal sealed class RoleConverter() : ProtocolNameConverter<ParticipantRole>(
    (ParticipantRole.Speaker, "speaker"),
    (ParticipantRole.Listener, "listener"),
    (ParticipantRole.Broadcaster, "broadcaster"),
    (ParticipantRole.Tap, "tap"));
