using System.Text.Json.Serialization;

namespace WsAudio.Cli;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ListenReport))]
[JsonSerializable(typeof(Bot.BotReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
