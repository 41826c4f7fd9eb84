using System.Text.Json;
using System.Text.Json.Serialization;

namespace WsAudio.Protocol.Json;

/// <summary>
/// Reads and writes an enum as exactly one of its protocol names. The framework's string-enum converter also takes
/// numbers, numeric strings and comma-separated lists (<c>7</c>, <c>"2"</c>, <c>"speaker, listener"</c>), none of
/// which the protocol defines; here they fail the message (<c>invalid-message</c>).
/// </summary>
internal abstract class ProtocolNameConverter<T> : JsonConverter<T>
    where T : struct, Enum
{
    private readonly (T Value, string Name)[] _names;

    protected ProtocolNameConverter(params (T Value, string Name)[] names) => _names = names;

    /// <summary>The accepted names, for error messages.</summary>
    protected string Expected => string.Join(", ", _names.Select(n => $"'{n.Name}'"));

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"expected a string, one of {Expected}");
        }

        foreach (var (value, name) in _names)
        {
            if (reader.ValueTextEquals(name))
            {
                return value;
            }
        }

        return ReadUnknown(ref reader);
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        foreach (var (known, name) in _names)
        {
            if (EqualityComparer<T>.Default.Equals(known, value))
            {
                writer.WriteStringValue(name);
                return;
            }
        }

        WriteUnknown(writer, value);
    }

    /// <summary>A value without a protocol name: refused, unless an enum says how to write it.</summary>
    protected virtual void WriteUnknown(Utf8JsonWriter writer, T value) => throw new JsonException($"{typeof(T).Name} {value} has no protocol name");

    /// <summary>A string that names no value: refused, unless an enum says what an unknown name means.</summary>
    protected virtual T ReadUnknown(ref Utf8JsonReader reader) => throw new JsonException($"expected one of {Expected}");
}
