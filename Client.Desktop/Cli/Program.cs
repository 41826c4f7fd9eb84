using System.CommandLine;
using WsAudio.Cli;

var root = new RootCommand("wsaudio: stream audio into WsAudio rooms and listen to them.")
{
    SendCommand.Create(),
    ListenCommand.Create(),
    DevicesCommand.Create(),
    WsAudio.Cli.Bot.BotCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
