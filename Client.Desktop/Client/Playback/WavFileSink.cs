using WsAudio.Audio.Wav;

namespace WsAudio.Client.Playback;

/// <summary>Records to a 16-bit 48 kHz mono WAV file.</summary>
public sealed class WavFileSink : IAudioSink
{
    private readonly WavWriter _writer;

    public WavFileSink(string path)
    {
        _writer = new WavWriter(File.Create(path), 48000, 1);
    }

    public void Write(ReadOnlySpan<float> samples) => _writer.Write(samples);

    public void Dispose() => _writer.Dispose();
}
