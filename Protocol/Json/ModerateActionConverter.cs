using WsAudio.Protocol.Messages;

namespace WsAudio.Protocol.Json;

internal sealed class ModerateActionConverter() : ProtocolNameConverter<ModerateAction>(
    (ModerateAction.Mute, "mute"),
    (ModerateAction.Unmute, "unmute"),
    (ModerateAction.Remove, "remove"));
