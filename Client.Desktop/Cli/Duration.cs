using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;

namespace WsAudio.Cli;

/// <summary>
/// The one way every option of the tool reads a length of time, as ffmpeg and sox users write it: <c>12</c> and
/// <c>12s</c> are 12 seconds; <c>250ms</c>, <c>1m30s</c>, <c>2h</c>, <c>7d</c>; <c>mm:ss</c> and
/// <c>hh:mm:ss</c>, each with an optional <c>.fraction</c> of a second.
/// </summary>
internal static partial class Duration
{
    public const string Forms = "12 (seconds), 12s, 250ms, 1m30s, 2h, 7d, mm:ss or hh:mm:ss";

    /// <summary>A duration option; without <paramref name="defaultValue"/>, absent means null.</summary>
    public static Option<TimeSpan?> Option(string name, string description, TimeSpan? defaultValue = null, string? alias = null)
    {
        var option = alias is null ? new Option<TimeSpan?>(name) : new Option<TimeSpan?>(name, alias);
        option.Description = description;
        option.CustomParser = result =>
        {
            string text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[0].Value;
            if (TryParse(text, out var value))
            {
                return value;
            }

            result.AddError($"{name}: '{text}' is not a duration; use {Forms}");
            return null;
        };
        if (defaultValue is { } fallback)
        {
            option.DefaultValueFactory = _ => fallback;
        }

        return option;
    }

    /// <summary>Reads <paramref name="text"/>; false when it is none of the forms, or negative.</summary>
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        text = text.Trim();
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds))
        {
            value = TimeSpan.FromSeconds(seconds);
            return true;
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            return TryParseClock(text, out value);
        }

        var units = Units().Matches(text);
        if (units.Count == 0 || units.Sum(m => m.Length) != text.Length)
        {
            return false;
        }

        foreach (Match unit in units)
        {
            double amount = double.Parse(unit.Groups[1].Value, CultureInfo.InvariantCulture);
            value += unit.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            };
        }

        return true;
    }

    // mm:ss or hh:mm:ss, seconds with an optional fraction (as ffmpeg reads -t and -ss).
    private static bool TryParseClock(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        string[] parts = text.Split(':');
        if (parts.Length is < 2 or > 3)
        {
            return false;
        }

        double total = 0;
        for (int i = 0; i < parts.Length; i++)
        {
            bool last = i == parts.Length - 1;
            var style = last ? NumberStyles.AllowDecimalPoint : NumberStyles.None;
            if (parts[i].Length == 0 || !double.TryParse(parts[i], style, CultureInfo.InvariantCulture, out double part) || (i > 0 && part >= 60))
            {
                return false;
            }

            total = (total * 60) + part;
        }

        value = TimeSpan.FromSeconds(total);
        return true;
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|s|m|h|d)", RegexOptions.CultureInvariant)]
    private static partial Regex Units();
}
