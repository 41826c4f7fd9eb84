using System.Runtime.InteropServices;

namespace WsAudio.Client.Devices;

/// <summary>
/// Sends the process's native standard error to /dev/null while PortAudio probes the sound system: ALSA and JACK
/// print about a hundred lines there on a machine without sound hardware, before WsAudio's own one-line message.
/// Managed writes to standard error in that moment are lost too, so it is held only around the probe.
/// </summary>
internal static partial class QuietNativeErrors
{
    private const int StandardError = 2;
    private const int WriteOnly = 1;

    /// <summary>Runs <paramref name="probe"/> with native standard error silenced (Linux and macOS; elsewhere as is).</summary>
    public static T Run<T>(Func<T> probe)
    {
        if (OperatingSystem.IsWindows() || Environment.GetEnvironmentVariable("WSAUDIO_AUDIO_DEBUG") is not null)
        {
            return probe();
        }

        Console.Error.Flush();
        int saved = Dup(StandardError);
        int devNull = Open("/dev/null", WriteOnly);
        if (saved < 0 || devNull < 0 || Dup2(devNull, StandardError) < 0)
        {
            CloseIfOpen(saved);
            CloseIfOpen(devNull);
            return probe();
        }

        try
        {
            return probe();
        }
        finally
        {
            _ = Dup2(saved, StandardError);
            CloseIfOpen(saved);
            CloseIfOpen(devNull);
        }
    }

    private static void CloseIfOpen(int descriptor)
    {
        if (descriptor >= 0)
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "dup")]
    private static partial int Dup(int descriptor);

    [LibraryImport("libc", EntryPoint = "dup2")]
    private static partial int Dup2(int from, int to);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
