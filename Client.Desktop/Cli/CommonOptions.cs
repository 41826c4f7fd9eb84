using System.CommandLine;
using WsAudio.Protocol;

namespace WsAudio.Cli;

/// <summary>Option factories that <c>send</c> and <c>listen</c> share.</summary>
internal static class CommonOptions
{
    public static Option<Uri> Url() => new("--url")
    {
        Description = "The server's WebSocket endpoint",
        DefaultValueFactory = _ => new Uri("ws://localhost:8080/ws"),
        CustomParser = result => ParseUrl(result, result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty),
    };

    /// <summary>One or more nodes of a cluster: <c>--url ws://a/ws --url ws://b/ws</c>, tried in turn on reconnect.</summary>
    public static Option<Uri[]> Urls() => new("--url")
    {
        Description = "The server's WebSocket endpoint; repeat it for other nodes of a cluster, tried in turn on reconnect",
        DefaultValueFactory = _ => [new Uri("ws://localhost:8080/ws")],
        CustomParser = result => result.Tokens.Select(t => ParseUrl(result, t.Value)).OfType<Uri>().ToArray(),
    };

    private static Uri? ParseUrl(System.CommandLine.Parsing.ArgumentResult result, string text)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "ws" or "wss")
        {
            return uri;
        }

        result.AddError($"'{text}' is not a WebSocket URL like ws://localhost:8080/ws");
        return null;
    }

    public static Option<string> Room() => new("--room")
    {
        Description = "The room to join",
        Required = true,
        Validators =
        {
            result =>
            {
                string? room = result.GetValueOrDefault<string>();
                if (!RoomName.IsValid(room))
                {
                    result.AddError($"'{room}' is not a room name: 1-64 characters of A-Z, a-z, 0-9, '.', '_' and '-', starting with a letter or digit");
                }
            },
        },
    };

    public static Option<string?> Name() => new("--name") { Description = "Your display name in the room" };

    public static Option<string?> Token() => new("--token") { Description = "Access token, for servers that require one" };

    public static Option<bool> Quiet() => new("--quiet", "-q") { Description = "No progress line, only errors and the summary" };

    /// <summary>An option that may be given with or without a value: <c>--mic</c> or <c>--mic "USB"</c>.</summary>
    public static Option<string?> OptionalValue(string name, string description) => new(name)
    {
        Description = description,
        Arity = ArgumentArity.ZeroOrOne,
    };
}
