using System.CommandLine;

namespace WsAudio.Cli;

/// <summary>The tool's command tree, built in one place for the program and for the check of documented commands.</summary>
internal static class Commands
{
    public static RootCommand CreateRoot() => new("wsaudio: stream audio into WsAudio rooms and listen to them.")
    {
        SendCommand.Create(),
        ListenCommand.Create(),
        TapCommand.Create(),
        RecordCommand.Create(),
        DevicesCommand.Create(),
        Bot.BotCommand.Create(),
        TokenCommand.Create(),
    };
}
