using WsAudio.Protocol.Messages;

namespace WsAudio.Protocol.Json;

internal sealed class TapModeConverter() : ProtocolNameConverter<TapMode>(
    (TapMode.PerSpeaker, "per-speaker"),
    (TapMode.Mix, "mix"));
