using WsAudio.Client.Playback;

namespace WsAudio.Cli;

/// <summary>Passes audio to another sink and counts the samples.</summary>
internal sealed class CountingSink(IAudioSink inner) : IAudioSink
{
    public long Samples { get; private set; }

    public void Write(ReadOnlySpan<float> samples)
    {
        inner.Write(samples);
        Samples += samples.Length;
    }

    public void Dispose() => inner.Dispose();
}
