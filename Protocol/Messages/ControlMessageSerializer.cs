using System.Text.Json;
using System.Text.Unicode;
using System.Text.Json.Serialization.Metadata;

namespace WsAudio.Protocol.Messages;

/// <summary>Reads and writes control messages as UTF-8 JSON.</summary>
public static class ControlMessageSerializer
{
    private static readonly Dictionary<string, JsonTypeInfo> ClientMessages = new(StringComparer.Ordinal)
    {
        [MessageTypes.Join] = ControlMessageJsonContext.Default.JoinMessage,
        [MessageTypes.Leave] = ControlMessageJsonContext.Default.LeaveMessage,
        [MessageTypes.Mute] = ControlMessageJsonContext.Default.MuteMessage,
        [MessageTypes.Ping] = ControlMessageJsonContext.Default.PingMessage,
        [MessageTypes.Moderate] = ControlMessageJsonContext.Default.ModerateMessage,
        [MessageTypes.Record] = ControlMessageJsonContext.Default.RecordMessage,
    };

    private static readonly Dictionary<string, JsonTypeInfo> ServerMessages = new(StringComparer.Ordinal)
    {
        [MessageTypes.Pong] = ControlMessageJsonContext.Default.PongMessage,
        [MessageTypes.Joined] = ControlMessageJsonContext.Default.JoinedMessage,
        [MessageTypes.Left] = ControlMessageJsonContext.Default.LeftMessage,
        [MessageTypes.ParticipantJoined] = ControlMessageJsonContext.Default.ParticipantJoinedMessage,
        [MessageTypes.ParticipantLeft] = ControlMessageJsonContext.Default.ParticipantLeftMessage,
        [MessageTypes.ParticipantMuted] = ControlMessageJsonContext.Default.ParticipantMutedMessage,
        [MessageTypes.StreamStarted] = ControlMessageJsonContext.Default.StreamStartedMessage,
        [MessageTypes.StreamStopped] = ControlMessageJsonContext.Default.StreamStoppedMessage,
        [MessageTypes.Audience] = ControlMessageJsonContext.Default.AudienceMessage,
        [MessageTypes.Recording] = ControlMessageJsonContext.Default.RecordingMessage,
        [MessageTypes.Error] = ControlMessageJsonContext.Default.ErrorMessage,
    };

    /// <summary>Serializes <paramref name="message"/> to UTF-8 JSON, <c>type</c> first.</summary>
    public static byte[] Serialize(ControlMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var typeInfo = ClientMessages.GetValueOrDefault(message.Type) ?? ServerMessages[message.Type];
        return JsonSerializer.SerializeToUtf8Bytes(message, typeInfo);
    }

    /// <summary>
    /// Reads one message that <paramref name="sender"/> may send; a type only the other side sends counts as
    /// unknown. Never throws on bad input: the status says what was wrong and <paramref name="detail"/> explains it.
    /// </summary>
    public static ReadStatus TryRead(ReadOnlySpan<byte> utf8, MessageSender sender, out ControlMessage? message, out string detail)
    {
        message = null;
        if (!Utf8.IsValid(utf8))
        {
            detail = "not valid UTF-8";
            return ReadStatus.InvalidJson;
        }

        string? type;
        try
        {
            type = FindType(utf8);
        }
        catch (JsonException ex)
        {
            detail = $"not valid JSON: {ex.Message}";
            return ReadStatus.InvalidJson;
        }
        catch (InvalidOperationException ex)
        {
            detail = $"not valid JSON: {ex.Message}";
            return ReadStatus.InvalidJson;
        }

        if (type is null)
        {
            detail = "the message has no string 'type' field";
            return ReadStatus.UnknownType;
        }

        var (accepted, others, otherSide) = sender == MessageSender.Client
            ? (ClientMessages, ServerMessages, "server")
            : (ServerMessages, ClientMessages, "client");
        if (!accepted.TryGetValue(type, out var typeInfo))
        {
            detail = others.ContainsKey(type) ? $"'{type}' is sent only by the {otherSide}" : $"unknown message type '{Truncate(type)}'";
            return ReadStatus.UnknownType;
        }

        try
        {
            message = (ControlMessage?)JsonSerializer.Deserialize(utf8, typeInfo);
        }
        catch (JsonException ex)
        {
            detail = $"invalid '{type}' message: {Explain(ex)}";
            return ReadStatus.InvalidMessage;
        }

        if (message is null)
        {
            detail = $"invalid '{type}' message";
            return ReadStatus.InvalidMessage;
        }

        if (message.FindProblem() is { } problem)
        {
            message = null;
            detail = $"invalid '{type}' message: {problem}";
            return ReadStatus.InvalidMessage;
        }

        detail = string.Empty;
        return ReadStatus.Ok;
    }

    // Walks the whole document once, so that invalid JSON is told apart from an unknown type before binding.
    private static string? FindType(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 16 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a message must be a JSON object");
        }

        string? type = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isType = reader.ValueTextEquals("type"u8);
            reader.Read();
            if (isType && reader.TokenType == JsonTokenType.String)
            {
                type = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new JsonException("trailing data after the JSON object");
        }

        return type;
    }

    // The serializer's own messages name .NET types ("could not be converted to WsAudio.Protocol…"); a client
    // needs the field and what was wrong with it.
    private static string Explain(JsonException ex)
    {
        string field = ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : string.Empty;
        const string MissingMarker = "including: ";
        int missing = ex.Message.IndexOf(MissingMarker, StringComparison.Ordinal);
        if (missing >= 0)
        {
            return $"missing required field {ex.Message[(missing + MissingMarker.Length)..].TrimEnd('.')}".Replace("'$.", "'", StringComparison.Ordinal);
        }

        string problem = ex.Message.Contains("could not be converted", StringComparison.Ordinal) || ex.Message.Contains("System.", StringComparison.Ordinal)
            ? "has the wrong type"
            : ex.Message;
        return field.Length > 0 ? $"'{Truncate(field)}' {problem}" : problem;
    }

    private static string Truncate(string value) => value.Length <= 32 ? value : value[..32] + "…";
}
