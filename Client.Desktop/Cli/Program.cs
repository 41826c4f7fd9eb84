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
var parsed = root.Parse(args);

// A usage error is said on standard error in a line or two, with exit code 2, as POSIX tools do; the help text is
// not poured into a pipe that expected audio.
if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
{
    string command = parsed.CommandResult.Command == root ? "wsaudio" : $"wsaudio {parsed.CommandResult.Command.Name}";
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"{command}: {error.Message}");
    }

    Console.Error.WriteLine($"Run '{command} --help' for its options.");
    return 2;
}

int code = await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stop.Token);
return interrupted && code == 0 ? 130 : code;

void Stop(PosixSignalContext context, bool interrupt)
{
    context.Cancel = true;
    interrupted |= interrupt;
    stop.Cancel();
}
