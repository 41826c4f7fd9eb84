namespace WsAudio.Tests.Support;

/// <summary>Numeric comparison of a signal that went through the system with the one that went in.</summary>
internal static class AudioCompare
{
    /// <summary>
    /// The lag (in samples, within ±<paramref name="maxLag"/>) at which <paramref name="output"/> best matches
    /// <paramref name="reference"/>: output[i + lag] ≈ reference[i]. Coarse search on 8× decimated signals, then
    /// a fine search around the best coarse lag.
    /// </summary>
    public static int FindLag(ReadOnlySpan<float> reference, ReadOnlySpan<float> output, int maxLag)
    {
        const int Factor = 8;
        float[] coarseRef = Decimate(reference, Factor);
        float[] coarseOut = Decimate(output, Factor);
        int coarse = Best(coarseRef, coarseOut, -maxLag / Factor, maxLag / Factor) * Factor;
        return Best(reference, output, coarse - (2 * Factor), coarse + (2 * Factor));
    }

    /// <summary>Pearson correlation of reference[i] with output[i + lag] over their overlap.</summary>
    public static double Correlation(ReadOnlySpan<float> reference, ReadOnlySpan<float> output, int lag)
    {
        var (startA, startB, length) = Overlap(reference.Length, output.Length, lag);
        var a = reference.Slice(startA, length);
        var b = output.Slice(startB, length);
        double meanA = Mean(a);
        double meanB = Mean(b);
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double da = a[i] - meanA;
            double db = b[i] - meanB;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }

        return saa == 0 || sbb == 0 ? 0 : sab / Math.Sqrt(saa * sbb);
    }

    /// <summary>Signal-to-noise ratio in dB of output[i + lag] against reference[i].</summary>
    public static double SnrDb(ReadOnlySpan<float> reference, ReadOnlySpan<float> output, int lag = 0)
    {
        var (startA, startB, length) = Overlap(reference.Length, output.Length, lag);
        var a = reference.Slice(startA, length);
        var b = output.Slice(startB, length);
        double signal = 0, noise = 0;
        for (int i = 0; i < a.Length; i++)
        {
            signal += a[i] * a[i];
            noise += (a[i] - b[i]) * (a[i] - b[i]);
        }

        return noise == 0 ? double.PositiveInfinity : 10 * Math.Log10(signal / noise);
    }

    private static int Best(ReadOnlySpan<float> reference, ReadOnlySpan<float> output, int fromLag, int toLag)
    {
        int best = fromLag;
        double bestScore = double.NegativeInfinity;
        for (int lag = fromLag; lag <= toLag; lag++)
        {
            var (startA, startB, length) = Overlap(reference.Length, output.Length, lag);
        var a = reference.Slice(startA, length);
        var b = output.Slice(startB, length);
            double dot = 0;
            for (int i = 0; i < a.Length; i++)
            {
                dot += a[i] * b[i];
            }

            if (dot > bestScore)
            {
                bestScore = dot;
                best = lag;
            }
        }

        return best;
    }

    // Where reference[i] and output[i + lag] both exist.
    private static (int StartA, int StartB, int Length) Overlap(int referenceLength, int outputLength, int lag)
    {
        int startA = Math.Max(0, -lag);
        int startB = Math.Max(0, lag);
        int length = Math.Min(referenceLength - startA, outputLength - startB);
        return length <= 0 ? (0, 0, 0) : (startA, startB, length);
    }

    private static float[] Decimate(ReadOnlySpan<float> signal, int factor)
    {
        var result = new float[signal.Length / factor];
        for (int i = 0; i < result.Length; i++)
        {
            float sum = 0;
            for (int k = 0; k < factor; k++)
            {
                sum += signal[(i * factor) + k];
            }

            result[i] = sum / factor;
        }

        return result;
    }

    private static double Mean(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values)
        {
            sum += v;
        }

        return values.IsEmpty ? 0 : sum / values.Length;
    }
}
