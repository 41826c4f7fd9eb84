using WsAudio.Protocol.Messages;

namespace WsAudio.Protocol.Json;

internal sealed class StreamStopReasonConverter() : ProtocolNameConverter<StreamStopReason>(
    (StreamStopReason.EndOfStream, "end-of-stream"),
    (StreamStopReason.Idle, "idle"),
    (StreamStopReason.Left, "left"),
    (StreamStopReason.Disconnected, "disconnected"));
