using System.CommandLine;
using WsAudio.Cli;

var root = new RootCommand("wsaudio: stream audio into WsAudio rooms and listen to them.")
{
    SendCommand.Create(),
    ListenCommand.Create(),
    TapCommand.Create(),
    RecordCommand.Create(),
    DevicesCommand.Create(),
    WsAudio.Cli.Bot.BotCommand.Create(),
    TokenCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
