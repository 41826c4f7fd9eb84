using System.CommandLine;
using WsAudio.Client.Devices;

namespace WsAudio.Cli;

/// <summary><c>wsaudio devices</c>: the microphones and speakers PortAudio sees.</summary>
internal static class DevicesCommand
{
    public static Command Create()
    {
        var command = new Command("devices", "List microphones and speakers (use the index or part of the name with --mic and --speaker)");
        command.SetAction(_ =>
        {
            try
            {
                var devices = PortAudio.ListDevices();
                Console.WriteLine($"{"#",3}  {"in",2} {"out",3}  {"rate",6}  name (host API)");
                foreach (var d in devices)
                {
                    string marks = (d.IsDefaultInput ? " [default mic]" : string.Empty) + (d.IsDefaultOutput ? " [default speaker]" : string.Empty);
                    Console.WriteLine($"{d.Index,3}  {d.InputChannels,2} {d.OutputChannels,3}  {d.DefaultSampleRate,6:F0}  {d.Name} ({d.HostApi}){marks}");
                }

                if (devices.Count == 0)
                {
                    Console.WriteLine("no audio devices found");
                }

                return 0;
            }
            catch (AudioDeviceException ex)
            {
                Console.Error.WriteLine($"wsaudio: {ex.Message}");
                return 1;
            }
        });
        return command;
    }
}
