using WsAudio.Audio.Wav;

namespace WsAudio.Client.Playback;

/// <summary>Records to a 16-bit 48 kHz mono WAV file, or streams one to a pipe.</summary>
public sealed class WavFileSink : IAudioSink
{
    private readonly WavWriter _writer;

    private readonly Stream _stream;

    public WavFileSink(string path)
        : this(File.Create(path))
    {
    }

    /// <summary>Writes to <paramref name="stream"/>; a pipe (standard output) gets a header that says "to the end".</summary>
    public WavFileSink(Stream stream)
    {
        _stream = stream;
        _writer = new WavWriter(stream, 48000, 1);
    }

    public void Write(ReadOnlySpan<float> samples)
    {
        _writer.Write(samples);

        // A reader at the other end of a pipe hears it now, not when a buffer fills.
        if (!_stream.CanSeek)
        {
            _stream.Flush();
        }
    }

    public void Dispose() => _writer.Dispose();
}
