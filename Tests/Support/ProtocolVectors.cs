using System.Text.Json;

namespace WsAudio.Tests.Support;

/// <summary>docs/protocol-vectors.json, shared with the JavaScript tests.</summary>
internal static class ProtocolVectors
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "protocol-vectors.json"))));

    public static IEnumerable<TestCaseData> Frames() => Cases("frames");

    public static IEnumerable<TestCaseData> InvalidFrames() => Cases("invalidFrames");

    public static IEnumerable<TestCaseData> Messages() => Cases("messages");

    public static IEnumerable<TestCaseData> InvalidMessages() => Cases("invalidMessages");

    private static IEnumerable<TestCaseData> Cases(string property) =>
        Document.Value.RootElement.GetProperty(property).EnumerateArray()
            .Select(v => new TestCaseData(v).SetArgDisplayNames(v.GetProperty("name").GetString()!));
}
