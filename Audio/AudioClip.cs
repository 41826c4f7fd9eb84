namespace WsAudio.Audio;

/// <summary>Audio held in memory: interleaved float samples in [-1, 1].</summary>
public sealed class AudioClip
{
    public AudioClip(float[] samples, int sampleRate, int channels)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        if (samples.Length % channels != 0)
        {
            throw new ArgumentException($"{samples.Length} samples do not divide into {channels} channels", nameof(samples));
        }

        Samples = samples;
        SampleRate = sampleRate;
        Channels = channels;
    }

    /// <summary>Interleaved samples: frame 0 channel 0, frame 0 channel 1, frame 1 channel 0, …</summary>
    public float[] Samples { get; }

    public int SampleRate { get; }

    public int Channels { get; }

    /// <summary>Sample frames (samples per channel).</summary>
    public int Frames => Samples.Length / Channels;

    public TimeSpan Duration => TimeSpan.FromSeconds((double)Frames / SampleRate);

    /// <summary>This clip as 48 kHz mono: channels averaged, then resampled if needed.</summary>
    public float[] ToMono48k()
    {
        float[] mono = Channels == 1 ? Samples : Downmix.ToMono(Samples, Channels);
        return SampleRate == 48000 ? mono : Resampler.Convert(mono, SampleRate, 48000);
    }
}
