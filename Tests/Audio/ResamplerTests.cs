using WsAudio.Audio;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Audio;

public sealed class ResamplerTests
{
    [TestCase(44100, 48000, 1000)]
    [TestCase(44100, 48000, 8000)]
    [TestCase(16000, 48000, 3000)]
    [TestCase(22050, 48000, 5000)]
    [TestCase(48000, 16000, 2000)]
    [TestCase(8000, 48000, 440)]
    public void Convert_Tone_MatchesTheExactToneAbove80Db(int from, int to, double hz)
    {
        float[] input = Tone(hz, from, from);

        float[] output = Resampler.Convert(input, from, to);
        float[] expected = Tone(hz, to, to);

        // Ignore the first and last 50 ms, where the filter sees the silence around the signal.
        int edge = to / 20;
        double snr = AudioCompare.SnrDb(expected.AsSpan(edge, to - (2 * edge)), output.AsSpan(edge, to - (2 * edge)));
        TestContext.Out.WriteLine($"{from} -> {to} Hz, {hz} Hz tone: SNR {snr:F1} dB");
        Assert.That(output, Has.Length.EqualTo(to));
        Assert.That(snr, Is.GreaterThan(80));
    }

    [Test]
    public void Convert_ToneAboveTheNewNyquist_IsSuppressedBy60Db()
    {
        float[] input = Tone(12000, 48000, 48000);

        float[] output = Resampler.Convert(input, 48000, 16000);

        var level = AudioLevel.Measure(output.AsSpan(800, 14400));
        Assert.That(level.RmsDbfs, Is.LessThan(-3 - 60));
    }

    [Test]
    public void Process_InSmallChunks_EqualsOneShotConversion()
    {
        float[] input = Speech.Samples48k()[..48000];
        float[] oneShot = Resampler.Convert(input, 48000, 44100);

        var streaming = new Resampler(48000, 44100);
        var output = new List<float>();
        for (int offset = 0; offset < input.Length; offset += 441)
        {
            output.AddRange(streaming.Process(input.AsSpan(offset, Math.Min(441, input.Length - offset))));
        }

        output.AddRange(streaming.Flush());
        Assert.That(output, Is.EqualTo(oneShot).Within(1e-6));
    }

    [Test]
    public void Convert_SameRate_ReturnsTheInput()
    {
        float[] input = [0.1f, -0.2f, 0.3f];

        Assert.That(Resampler.Convert(input, 48000, 48000), Is.EqualTo(input));
    }

    private static float[] Tone(double hz, int rate, int count)
    {
        var samples = new float[count];
        for (int i = 0; i < count; i++)
        {
            samples[i] = (float)(0.5 * Math.Sin(2 * Math.PI * hz * i / rate));
        }

        return samples;
    }
}
