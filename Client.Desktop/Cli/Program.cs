using System.CommandLine;
using System.Runtime.InteropServices;
using WsAudio.Cli;

var root = Commands.CreateRoot();

// Ctrl-C stops a command cleanly (it leaves the room, closes its files) and the exit code says it was interrupted,
// 130 as shells report SIGINT; SIGTERM (a service manager stopping it) is a normal end, 0. The signals are taken
// here rather than by System.CommandLine so that which one came is known before the command returns.
bool interrupted = false;
using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, interrupt: true));
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, interrupt: false));
int code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stop.Token);
return interrupted && code == 0 ? 130 : code;

void Stop(PosixSignalContext context, bool interrupt)
{
    context.Cancel = true;
    interrupted |= interrupt;
    stop.Cancel();
}
