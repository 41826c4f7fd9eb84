using System.CommandLine;
using WsAudio.Client.Connection;
using WsAudio.Protocol;

namespace WsAudio.Cli;

/// <summary>The options that say which server and room to join, and as whom; shared by <c>send</c> and <c>listen</c>.</summary>
internal sealed class ConnectionOptions
{
    private readonly Option<Uri[]> _urls = CommonOptions.Urls();
    private readonly Option<string> _room = CommonOptions.Room();
    private readonly Option<string?> _name = CommonOptions.Name();
    private readonly Option<string?> _token = CommonOptions.Token();
    private readonly Option<int> _maxReconnects = new("--max-reconnects")
    {
        Description = "Give up (exit 1) after this many failed reconnect attempts; 0 keeps trying",
        DefaultValueFactory = _ => 0,
    };

    private readonly Option<TimeSpan?> _reconnectTimeout = Duration.Option("--reconnect-timeout", $"Give up (exit 1) when the server has been gone this long: {Duration.Forms}");

    public Option<bool> Quiet { get; } = CommonOptions.Quiet();

    public Option<string?> NameOption => _name;

    public void AddTo(Command command)
    {
        command.Options.Add(_urls);
        command.Options.Add(_room);
        command.Options.Add(_name);
        command.Options.Add(_token);
        command.Options.Add(_maxReconnects);
        command.Options.Add(_reconnectTimeout);
        command.Options.Add(Quiet);
    }

    public RoomClientOptions ToClientOptions(ParseResult parse, ParticipantRole role, AudioFormat? format = null) => new()
    {
        Url = parse.GetValue(_urls)![0],
        AlternateUrls = parse.GetValue(_urls)![1..],
        Room = parse.GetValue(_room)!,
        Role = role,
        Name = parse.GetValue(_name),
        Token = parse.GetValue(_token),
        Format = format ?? AudioFormat.Default,
        MaxReconnectAttempts = Math.Max(0, parse.GetValue(_maxReconnects)),
        ReconnectTimeout = parse.GetValue(_reconnectTimeout) ?? TimeSpan.Zero,
    };
}
