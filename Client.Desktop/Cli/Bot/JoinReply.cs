using System.Text.Json;
using WsAudio.Protocol.Messages;

namespace WsAudio.Cli.Bot;

/// <summary>
/// What a bot peer needs of the server's answer to its <c>join</c>: whether it joined, its stream id, or the
/// refusal. Read field by field, without binding the whole <c>joined</c> (its listed members and live streams):
/// the bot opens thousands of connections on the machine it measures, and binding every <c>joined</c> cost it
/// about as much CPU as the server spent on the joins.
/// </summary>
internal readonly record struct JoinReply(string? Type, uint? StreamId, string? ErrorCode, string? ErrorMessage)
{
    public bool IsJoined => Type == MessageTypes.Joined;

    public bool IsError => Type == MessageTypes.Error;

    /// <summary>Reads the top-level fields of one server message; false when it is not a JSON object.</summary>
    public static bool TryRead(ReadOnlySpan<byte> utf8, out JoinReply reply)
    {
        reply = default;
        string? type = null;
        uint? stream = null;
        string? code = null;
        string? message = null;
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isType = reader.ValueTextEquals("type"u8);
                bool isStream = reader.ValueTextEquals("streamId"u8);
                bool isCode = reader.ValueTextEquals("code"u8);
                bool isMessage = reader.ValueTextEquals("message"u8);
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    type = isType ? reader.GetString() : type;
                    code = isCode ? reader.GetString() : code;
                    message = isMessage ? reader.GetString() : message;
                }
                else if (isStream && reader.TokenType == JsonTokenType.Number && reader.TryGetUInt32(out uint id))
                {
                    stream = id;
                }

                // A nested object or array (the listed members, with their own stream ids) is passed over whole.
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            return false;
        }

        reply = new JoinReply(type, stream, code, message);
        return true;
    }
}
