using WsAudio.Protocol.Messages;

namespace WsAudio.Protocol.Json;

internal sealed class RecordActionConverter() : ProtocolNameConverter<RecordAction>(
    (RecordAction.Start, "start"),
    (RecordAction.Stop, "stop"));
