namespace WsAudio.Client.Playback;

/// <summary>Where mixed 48 kHz mono audio goes: a file, standard output, a speaker.</summary>
public interface IAudioSink : IDisposable
{
    /// <summary>Takes the next block of samples; may block for a device's pace.</summary>
    void Write(ReadOnlySpan<float> samples);
}
