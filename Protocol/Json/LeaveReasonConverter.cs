using WsAudio.Protocol.Messages;

namespace WsAudio.Protocol.Json;

internal sealed class LeaveReasonConverter() : ProtocolNameConverter<LeaveReason>(
    (LeaveReason.Left, "left"),
    (LeaveReason.Disconnected, "disconnected"),
    (LeaveReason.Removed, "removed"));
