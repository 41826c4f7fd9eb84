using Microsoft.Win32.SafeHandles;

namespace WsAudio.Cli;

/// <summary>Standard output for raw audio.</summary>
internal static class StandardOutput
{
    /// <summary>
    /// A stream on standard output that reports a reader that went away (a closed pipe) as an
    /// <see cref="IOException"/>. The console's own stream ignores that on Unix, which would leave a tool writing
    /// into nothing forever.
    /// </summary>
    public static Stream OpenBinary() =>
        OperatingSystem.IsWindows() ? Console.OpenStandardOutput() : new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
}
