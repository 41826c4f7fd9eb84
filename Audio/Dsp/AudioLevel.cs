namespace WsAudio.Audio;

/// <summary>
/// Loudness of a block of samples in dBFS (0 dBFS = full scale). A full-scale sine reads −3.01 dBFS RMS and
/// 0 dBFS peak. Silence reads <see cref="Floor"/>.
/// </summary>
public readonly record struct AudioLevel(double RmsDbfs, double PeakDbfs)
{
    /// <summary>The lowest level reported, in dBFS; anything quieter (digital silence included) reads this.</summary>
    public const double Floor = -120;

    /// <summary>Measures interleaved samples in [-1, 1].</summary>
    public static AudioLevel Measure(ReadOnlySpan<float> samples)
    {
        if (samples.IsEmpty)
        {
            return new AudioLevel(Floor, Floor);
        }

        double sumSquares = 0;
        float peak = 0;
        foreach (float s in samples)
        {
            sumSquares += s * s;
            peak = Math.Max(peak, Math.Abs(s));
        }

        return new AudioLevel(ToDbfs(Math.Sqrt(sumSquares / samples.Length)), ToDbfs(peak));
    }

    private static double ToDbfs(double amplitude) => amplitude <= 0 ? Floor : Math.Max(Floor, 20 * Math.Log10(amplitude));
}
