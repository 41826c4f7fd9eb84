namespace WsAudio.Client.Sending;

/// <summary>Plays samples held in memory (a decoded WAV file), once or in a loop.</summary>
public sealed class ClipSource : IAudioSource
{
    private readonly float[] _samples;
    private readonly bool _loop;
    private int _position;

    /// <param name="samples48kMono">The audio, already 48 kHz mono.</param>
    /// <param name="loop">Start again at the end instead of ending.</param>
    public ClipSource(float[] samples48kMono, bool loop = false)
    {
        _samples = samples48kMono;
        _loop = loop && samples48kMono.Length > 0;
    }

    public bool IsLive => false;

    public int Read(Span<float> frame)
    {
        int written = 0;
        while (written < frame.Length)
        {
            if (_position == _samples.Length)
            {
                if (!_loop)
                {
                    break;
                }

                _position = 0;
            }

            int count = Math.Min(frame.Length - written, _samples.Length - _position);
            _samples.AsSpan(_position, count).CopyTo(frame[written..]);
            _position += count;
            written += count;
        }

        return written;
    }

    public void Dispose()
    {
    }
}
