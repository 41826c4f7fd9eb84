using System.Globalization;

namespace WsAudio.Cli.Bot;

/// <summary>
/// CPU time and resident memory of a local server process, read from <c>/proc</c> (Linux): the same measure for
/// WsAudio and for benchmark peers that have no <c>/metrics</c>.
/// </summary>
internal sealed class ProcessProbe
{
    // USER_HZ: the unit of utime and stime in /proc/PID/stat; 100 on every Linux the runtime supports.
    private const double TicksPerSecond = 100;

    private readonly int _pid;

    public ProcessProbe(int pid)
    {
        _pid = pid;
    }

    /// <summary>CPU seconds (user + system) and resident bytes, or null when the process cannot be read.</summary>
    public (double CpuSeconds, double ResidentBytes)? Read()
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{_pid}/stat");

            // The command name, in parentheses, may hold spaces; the fields counted here follow it.
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            double cpu = (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
            string? rss = File.ReadLines($"/proc/{_pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            double resident = rss is null ? 0 : double.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            return (cpu, resident);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
