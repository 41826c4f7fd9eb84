using System.Text.Json.Serialization;

namespace WsAudio.Server.Diagnostics;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(HealthReport))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;
