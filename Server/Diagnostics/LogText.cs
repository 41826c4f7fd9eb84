using System.Text;

namespace WsAudio.Server.Diagnostics;

/// <summary>
/// Makes client-chosen text safe for a log line: control characters (terminal escape sequences, line breaks that
/// would forge a new line) are written as <c>\uXXXX</c>, and the text is cut to a bounded length, so that a client
/// can neither rewrite an operator's terminal nor fill the disk through the log.
/// </summary>
internal static class LogText
{
    public const int MaxLength = 160;

    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        bool clean = text.Length <= MaxLength;
        foreach (char c in text.AsSpan(0, Math.Min(text.Length, MaxLength)))
        {
            clean &= !char.IsControl(c) && !char.IsSurrogate(c);
        }

        if (clean)
        {
            return text;
        }

        var result = new StringBuilder(MaxLength + 24);
        foreach (char c in text.AsSpan(0, Math.Min(text.Length, MaxLength)))
        {
            // Lone surrogates are escaped as well: a cut can split a pair, and log sinks may choke on half of one.
            if (char.IsControl(c) || char.IsSurrogate(c))
            {
                result.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                result.Append(c);
            }
        }

        if (text.Length > MaxLength)
        {
            result.Append("… (").Append(text.Length).Append(" chars)");
        }

        return result.ToString();
    }
}
