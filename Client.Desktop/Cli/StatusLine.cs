using WsAudio.Audio;

namespace WsAudio.Cli;

/// <summary>One line of progress on standard error, redrawn in place on a terminal; silent when redirected or quiet.</summary>
internal sealed class StatusLine
{
    private readonly bool _enabled;
    private int _width;

    public StatusLine(bool quiet)
    {
        _enabled = !quiet && !Console.IsErrorRedirected;
    }

    /// <summary>A 20-character meter from −60 to 0 dBFS, e.g. <c>[#######.............] -32 dB</c>.</summary>
    public static string Meter(AudioLevel level)
    {
        int filled = (int)Math.Clamp((level.RmsDbfs + 60) / 3, 0, 20);
        string value = level.RmsDbfs <= AudioLevel.Floor ? " -inf" : $"{level.RmsDbfs,5:F0}";
        return $"[{new string('#', filled)}{new string('.', 20 - filled)}] {value} dB";
    }

    public void Update(string text)
    {
        if (!_enabled)
        {
            return;
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
}
