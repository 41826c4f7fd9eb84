using System.Globalization;
using System.Text.RegularExpressions;

namespace WsAudio.Cli.Bot;

/// <summary>
/// A threshold such as <c>p99&gt;50ms</c>, <c>loss&gt;0.1%</c> or <c>failed&gt;0</c> that, when true of the report, makes
/// the bot exit non-zero, so a load test can gate a deployment.
/// </summary>
internal sealed partial record FailCondition(string Text, string Metric, string Operator, double Threshold)
{
    /// <summary>The metrics a condition may name, with what each reads from a report.</summary>
    public static readonly IReadOnlyDictionary<string, Func<BotReport, double>> Metrics = new Dictionary<string, Func<BotReport, double>>(StringComparer.OrdinalIgnoreCase)
    {
        ["p50"] = r => r.LatencyP50Ms,
        ["p95"] = r => r.LatencyP95Ms,
        ["p99"] = r => r.LatencyP99Ms,
        ["max"] = r => r.LatencyMaxMs,
        ["jitter"] = r => r.JitterMs,
        ["loss"] = r => r.LossPercent,
        ["lost"] = r => r.FramesLost,
        ["late"] = r => r.FramesLate,
        ["failed"] = r => r.ConnectionsFailed,
        ["reconnects"] = r => r.Reconnects,
        ["skipped"] = r => r.FramesSkipped,
        ["drops"] = r => r.ServerDrops ?? 0,
    };

    public static FailCondition Parse(string text)
    {
        var match = Pattern().Match(text.Replace(" ", string.Empty, StringComparison.Ordinal));
        if (!match.Success || !Metrics.ContainsKey(match.Groups["metric"].Value))
        {
            throw new FormatException(
                $"'{text}' is not a condition like p99>50ms, loss>0.1%, failed>0 (metrics: {string.Join(", ", Metrics.Keys)}; operators: > >= < <=)");
        }

        double value = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        if (match.Groups["unit"].Value == "s")
        {
            value *= 1000;
        }

        return new FailCondition(text, match.Groups["metric"].Value.ToLowerInvariant(), match.Groups["op"].Value, value);
    }

    /// <summary>True when the report breaks this condition.</summary>
    public bool IsBrokenBy(BotReport report)
    {
        double actual = Metrics[Metric](report);
        return Operator switch
        {
            ">" => actual > Threshold,
            ">=" => actual >= Threshold,
            "<" => actual < Threshold,
            _ => actual <= Threshold,
        };
    }

    [GeneratedRegex(@"^(?<metric>[a-zA-Z0-9]+)(?<op>>=|<=|>|<)(?<value>\d+(\.\d+)?)(?<unit>ms|s|%)?$")]
    private static partial Regex Pattern();
}
