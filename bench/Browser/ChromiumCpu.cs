using System.Globalization;

namespace WsAudio.Bench.Browser;

/// <summary>CPU seconds used so far by every Chromium process descended from this one (Linux /proc).</summary>
internal static class ChromiumCpu
{
    public static double Seconds()
    {
        var parents = new Dictionary<int, int>();
        var ticks = new Dictionary<int, long>();
        var names = new Dictionary<int, string>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(System.IO.Path.GetFileName(dir), out int pid))
            {
                continue;
            }

            try
            {
                string stat = File.ReadAllText(System.IO.Path.Combine(dir, "stat"));
                // The command name is in parentheses and may hold spaces: fields are counted after its closing one.
                int close = stat.LastIndexOf(')');
                string[] fields = stat[(close + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
                ticks[pid] = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                names[pid] = stat[(stat.IndexOf('(') + 1)..close];
            }
            catch (IOException)
            {
                // The process ended while the table was read.
            }
        }

        int self = Environment.ProcessId;
        long total = 0;
        foreach (var (pid, ticksUsed) in ticks)
        {
            if (names[pid].Contains("chrom", StringComparison.Ordinal) && DescendsFrom(pid, self, parents))
            {
                total += ticksUsed;
            }
        }

        return total / 100.0;
    }

    private static bool DescendsFrom(int pid, int ancestor, Dictionary<int, int> parents)
    {
        for (int p = pid; parents.TryGetValue(p, out int parent) && p > 1; p = parent)
        {
            if (parent == ancestor)
            {
                return true;
            }
        }

        return false;
    }
}
