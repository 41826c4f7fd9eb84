using System.Globalization;
using WsAudio.Audio;

namespace WsAudio.Cli;

/// <summary>
/// One line of progress on standard error, redrawn in place on a terminal and fitted to its width (<c>COLUMNS</c>, or
/// the terminal's own); silent when redirected. With <c>-q</c> it is silent, and so are the informational lines
/// written through <see cref="Info"/>: only errors and the requested output remain.
/// </summary>
internal sealed class StatusLine
{
    private readonly bool _quiet;
    private readonly bool _enabled;
    private readonly int _columns;
    private int _width;

    public StatusLine(bool quiet)
    {
        _quiet = quiet;
        _enabled = !quiet && !Console.IsErrorRedirected;
        _columns = _enabled ? TerminalColumns() : 80;
    }

    /// <summary>
    /// A level meter from −60 to 0 dBFS, e.g. <c>[#######.............] -32 dB</c>: 20 cells on wide terminals, 10 on
    /// narrower ones, the figure alone below 70 columns.
    /// </summary>
    public string Meter(AudioLevel level)
    {
        int cells = _columns >= 100 ? 20 : _columns >= 70 ? 10 : 0;
        string value = level.RmsDbfs <= AudioLevel.Floor ? " -inf" : $"{level.RmsDbfs,5:F0}";
        if (cells == 0)
        {
            return $"{value} dB";
        }

        int filled = (int)Math.Clamp((level.RmsDbfs + 60) / (60.0 / cells), 0, cells);
        return $"[{new string('#', filled)}{new string('.', cells - filled)}] {value} dB";
    }

    /// <summary>An informational line (joined, summary), unless quiet.</summary>
    public void Info(string text)
    {
        if (_quiet)
        {
            return;
        }

        Finish();
        Console.Error.WriteLine(text);
    }

    public void Update(string text)
    {
        if (!_enabled)
        {
            return;
        }

        // One column short of the width: writing into the last one wraps on some terminals.
        if (text.Length > _columns - 1)
        {
            text = text[..Math.Max(0, _columns - 1)];
        }

        Console.Error.Write('\r' + text.PadRight(_width));
        _width = text.Length;
    }

    /// <summary>Ends the line so that what follows starts on a new one.</summary>
    public void Finish()
    {
        if (_enabled && _width > 0)
        {
            Console.Error.WriteLine();
            _width = 0;
        }
    }

    private static int TerminalColumns()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), NumberStyles.None, CultureInfo.InvariantCulture, out int columns) && columns > 0)
        {
            return columns;
        }

        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 80;
        }
        catch (IOException)
        {
            return 80;
        }
    }
}
