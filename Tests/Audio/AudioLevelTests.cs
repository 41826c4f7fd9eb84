using WsAudio.Audio;

namespace WsAudio.Tests.Audio;

public sealed class AudioLevelTests
{
    [TestCase(1.0, -3.01, 0.0)]
    [TestCase(0.5, -9.03, -6.02)]
    [TestCase(0.001, -63.01, -60.0)]
    public void Measure_Sine_ReadsItsRmsAndPeakInDbfs(double amplitude, double rms, double peak)
    {
        var samples = new float[4800];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(amplitude * Math.Sin(2 * Math.PI * 1000 * i / 48000));
        }

        var level = AudioLevel.Measure(samples);

        Assert.That(level.RmsDbfs, Is.EqualTo(rms).Within(0.02));
        Assert.That(level.PeakDbfs, Is.EqualTo(peak).Within(0.02));
    }

    [Test]
    public void Measure_Silence_ReadsTheFloor()
    {
        var level = AudioLevel.Measure(new float[960]);

        Assert.That((level.RmsDbfs, level.PeakDbfs), Is.EqualTo((AudioLevel.Floor, AudioLevel.Floor)));
    }
}
