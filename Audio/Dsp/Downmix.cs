namespace WsAudio.Audio;

/// <summary>Channel conversions.</summary>
public static class Downmix
{
    /// <summary>Averages the channels of each interleaved frame (equal-gain downmix: no clipping, −6 dB for a one-sided stereo source).</summary>
    public static float[] ToMono(ReadOnlySpan<float> interleaved, int channels)
    {
        var mono = new float[interleaved.Length / channels];
        ToMono(interleaved, channels, mono);
        return mono;
    }

    /// <summary>Averages the channels of each interleaved frame into <paramref name="mono"/>.</summary>
    public static void ToMono(ReadOnlySpan<float> interleaved, int channels, Span<float> mono)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        if (channels == 1)
        {
            interleaved[..mono.Length].CopyTo(mono);
            return;
        }

        float gain = 1f / channels;
        for (int frame = 0; frame < mono.Length; frame++)
        {
            float sum = 0;
            for (int c = 0; c < channels; c++)
            {
                sum += interleaved[(frame * channels) + c];
            }

            mono[frame] = sum * gain;
        }
    }
}
