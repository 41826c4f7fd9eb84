using System.Runtime.InteropServices;

namespace WsAudio.Server.Transport;

/// <summary>The process's open-file (descriptor) limit, which every TCP connection counts against.</summary>
internal static partial class OpenFileLimit
{
    /// <summary>The soft limit now in force (the runtime raises it to the hard limit at start-up); null where there is none (Windows).</summary>
    public static long? Current()
    {
        int resource;
        if (OperatingSystem.IsLinux())
        {
            resource = 7;
        }
        else if (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
        {
            resource = 8;
        }
        else
        {
            return null;
        }

        if (GetResourceLimit(resource, out var limit) != 0 || limit.Current > long.MaxValue)
        {
            return null;
        }

        return (long)limit.Current;
    }

    /// <summary>Descriptors the process holds now; null where that cannot be counted.</summary>
    public static int? InUse()
    {
        try
        {
            return OperatingSystem.IsLinux() ? Directory.GetFileSystemEntries("/proc/self/fd").Length : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "getrlimit")]
    private static partial int GetResourceLimit(int resource, out ResourceLimit limit);

    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceLimit
    {
        public ulong Current;
        public ulong Maximum;
    }
}
