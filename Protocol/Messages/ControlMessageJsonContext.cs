using System.Text.Json.Serialization;

namespace WsAudio.Protocol.Messages;

/// <summary>Source-generated JSON metadata: no reflection, trimming-safe.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(JoinMessage))]
[JsonSerializable(typeof(LeaveMessage))]
[JsonSerializable(typeof(MuteMessage))]
[JsonSerializable(typeof(PingMessage))]
[JsonSerializable(typeof(ModerateMessage))]
[JsonSerializable(typeof(RecordMessage))]
[JsonSerializable(typeof(RecordingMessage))]
[JsonSerializable(typeof(PongMessage))]
[JsonSerializable(typeof(JoinedMessage))]
[JsonSerializable(typeof(LeftMessage))]
[JsonSerializable(typeof(ParticipantJoinedMessage))]
[JsonSerializable(typeof(ParticipantLeftMessage))]
[JsonSerializable(typeof(ParticipantMutedMessage))]
[JsonSerializable(typeof(StreamStartedMessage))]
[JsonSerializable(typeof(StreamStoppedMessage))]
[JsonSerializable(typeof(AudienceMessage))]
[JsonSerializable(typeof(ErrorMessage))]
internal sealed partial class ControlMessageJsonContext : JsonSerializerContext;
