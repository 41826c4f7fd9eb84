using System.Buffers.Binary;
using WsAudio.Audio;
using WsAudio.Audio.Wav;

namespace WsAudio.Tests.Audio;

public sealed class WavTests
{
    [TestCase(WavSampleFormat.Pcm16, 48000, 1, 2.0 / 32768)]
    [TestCase(WavSampleFormat.Pcm24, 44100, 2, 2.0 / 8388608)]
    [TestCase(WavSampleFormat.Pcm32, 8000, 1, 1e-7)]
    [TestCase(WavSampleFormat.IeeeFloat32, 96000, 6, 0)]
    public void WriteThenRead_AnyFormatRateAndChannels_RoundTrips(WavSampleFormat format, int rate, int channels, double tolerance)
    {
        var samples = new float[rate / 10 * channels];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)Math.Sin(i * 0.01) * 0.9f;
        }

        using var stream = new MemoryStream();
        using (var writer = new WavWriter(stream, rate, channels, format, ownsStream: false))
        {
            writer.Write(samples);
        }

        var clip = WavReader.Parse(stream.ToArray(), out var readFormat);

        Assert.Multiple(() =>
        {
            Assert.That(readFormat, Is.EqualTo(format));
            Assert.That(clip.SampleRate, Is.EqualTo(rate));
            Assert.That(clip.Channels, Is.EqualTo(channels));
            Assert.That(clip.Samples, Is.EqualTo(samples).Within(tolerance + 1e-9));
        });
    }

    [Test]
    public void Parse_WaveFormatExtensibleAndExtraChunks_ReadsTheData()
    {
        byte[] file =
        [
            .. "RIFF"u8, 0, 0, 0, 0, .. "WAVE"u8,
            .. "LIST"u8, 3, 0, 0, 0, 1, 2, 3, 0,                 // odd-sized chunk, padded to even
            .. "fmt "u8, 40, 0, 0, 0,
            0xFE, 0xFF,                                          // WAVE_FORMAT_EXTENSIBLE
            2, 0,                                                // 2 channels
            0x44, 0xAC, 0, 0,                                    // 44100 Hz
            0x10, 0xB1, 0x02, 0,                                 // byte rate
            4, 0,                                                // block align
            16, 0,                                               // bits per sample
            22, 0, 16, 0, 3, 0, 0, 0,                            // extension size, valid bits, channel mask
            1, 0, 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xAA, 0, 0x38, 0x9B, 0x71, // SubFormat: PCM
            .. "data"u8, 8, 0, 0, 0,
            0x00, 0x40, 0x00, 0xC0, 0xFF, 0x7F, 0x00, 0x80,      // 0.5, -0.5, max, min
        ];

        var clip = WavReader.Parse(file, out var format);

        Assert.That(format, Is.EqualTo(WavSampleFormat.Pcm16));
        Assert.That((clip.SampleRate, clip.Channels), Is.EqualTo((44100, 2)));
        Assert.That(clip.Samples, Is.EqualTo(new[] { 0.5f, -0.5f, 32767f / 32768f, -1f }));
    }

    [TestCase(1, 8, "8-bit PCM")]
    [TestCase(6, 8, "A-law")]
    [TestCase(7, 8, "µ-law")]
    [TestCase(0x55, 0, "format tag 0x0055")]
    [TestCase(3, 64, "64-bit float")]
    public void Parse_UnsupportedEncoding_SaysWhatItIs(int tag, int bits, string expected)
    {
        byte[] file = Header(tag, bits);

        Assert.That(() => WavReader.Parse(file, out _), Throws.InstanceOf<InvalidDataException>().With.Message.Contains(expected));
    }

    [TestCase("not a wav file at all", "RIFF/WAVE")]
    [TestCase("", "RIFF/WAVE")]
    public void Parse_NotAWavFile_IsRefused(string content, string expected)
    {
        Assert.That(() => WavReader.Parse(System.Text.Encoding.ASCII.GetBytes(content), out _), Throws.InstanceOf<InvalidDataException>().With.Message.Contains(expected));
    }

    [Test]
    public void Parse_NoDataChunk_IsRefused()
    {
        byte[] file = Header(1, 16)[..36];

        Assert.That(() => WavReader.Parse(file, out _), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("no data chunk"));
    }

    [Test]
    public void ToMono48k_Stereo44k_DownmixesAndResamples()
    {
        var stereo = new float[44100 * 2];
        for (int i = 0; i < 44100; i++)
        {
            stereo[2 * i] = 0.5f;
        }

        float[] mono = new AudioClip(stereo, 44100, 2).ToMono48k();

        Assert.That(mono, Has.Length.EqualTo(48000));
        Assert.That(mono[24000], Is.EqualTo(0.25f).Within(1e-4), "the average of 0.5 and 0");
    }

    private static byte[] Header(int tag, int bits)
    {
        var file = new byte[48];
        "RIFF"u8.CopyTo(file);
        "WAVEfmt "u8.CopyTo(file.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(20), (short)tag);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(22), 1);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(24), 8000);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(34), (short)bits);
        "data"u8.CopyTo(file.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(40), 4);
        return file;
    }
}
