using WsAudio.Audio.Opus;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Audio;

public sealed class OpusCodecTests
{
    private static readonly float[] Speech = Support.Speech.Samples48k();

    [Test]
    public void EncodeDecode_Speech_ComesBackCorrelatedAfterTheCodecDelay()
    {
        using var encoder = new OpusEncoder(new OpusEncoderOptions());
        using var decoder = new OpusDecoder();

        float[] decoded = RoundTrip(encoder, decoder, Speech, lose: _ => false, fec: false);
        int lag = AudioCompare.FindLag(Speech, decoded, 2400);
        double correlation = AudioCompare.Correlation(Speech, decoded, lag);
        TestContext.Out.WriteLine($"lag {lag} samples (lookahead {encoder.Lookahead}), correlation {correlation:F3}");

        Assert.That(lag, Is.EqualTo(encoder.Lookahead).Within(48), "decoded audio lags by the encoder's lookahead");
        Assert.That(correlation, Is.GreaterThan(0.9));
    }

    [TestCase(2500)]
    [TestCase(5000)]
    [TestCase(10000)]
    [TestCase(20000)]
    [TestCase(40000)]
    [TestCase(60000)]
    public void Encode_EachFrameDuration_DecodesToThatManySamples(int micros)
    {
        var options = new OpusEncoderOptions { FrameDurationMicros = micros, Application = OpusApplication.LowDelay };
        using var encoder = new OpusEncoder(options);
        using var decoder = new OpusDecoder();
        var packet = new byte[OpusEncoder.MaxPacketBytes];
        var pcm = new float[OpusDecoder.MaxFrameSamples];

        int length = encoder.Encode(Speech.AsSpan(48000, options.FrameSamples), packet);

        Assert.That(options.FrameSamples, Is.EqualTo(48 * micros / 1000));
        Assert.That(OpusDecoder.GetSamples(packet.AsSpan(0, length)), Is.EqualTo(options.FrameSamples));
        Assert.That(decoder.Decode(packet.AsSpan(0, length), pcm), Is.EqualTo(options.FrameSamples));
    }

    [Test]
    public void Conceal_EveryTenthPacketLost_KeepsTheDurationAndTheSpeech()
    {
        using var encoder = new OpusEncoder(new OpusEncoderOptions());
        using var decoder = new OpusDecoder();

        float[] decoded = RoundTrip(encoder, decoder, Speech, lose: i => i % 10 == 5, fec: false);
        double correlation = AudioCompare.Correlation(Speech, decoded, encoder.Lookahead);
        TestContext.Out.WriteLine($"correlation with 10% of packets concealed: {correlation:F3}");

        Assert.That(decoded, Has.Length.EqualTo(Speech.Length / 960 * 960), "a concealed packet still yields a whole frame");
        Assert.That(correlation, Is.GreaterThan(0.75));
    }

    [Test]
    public void RecoverFromNext_WithInbandFec_RestoresLostFramesBetterThanConcealment()
    {
        var options = new OpusEncoderOptions { InbandFec = true, ExpectedPacketLossPercent = 20 };
        static bool Lose(int i) => i % 7 == 3;

        double withFec, concealedOnly;
        using (var encoder = new OpusEncoder(options))
        using (var decoder = new OpusDecoder())
        {
            withFec = LostFrameSnr(RoundTrip(encoder, decoder, Speech, Lose, fec: true), encoder.Lookahead, Lose);
        }

        using (var encoder = new OpusEncoder(options))
        using (var decoder = new OpusDecoder())
        {
            concealedOnly = LostFrameSnr(RoundTrip(encoder, decoder, Speech, Lose, fec: false), encoder.Lookahead, Lose);
        }

        TestContext.Out.WriteLine($"SNR over lost frames: FEC {withFec:F1} dB, concealment {concealedOnly:F1} dB");
        Assert.That(withFec, Is.GreaterThan(concealedOnly + 3), "FEC recovers the lost frames' content, concealment only guesses");
    }

    [Test]
    public void Encode_SilenceWithDtx_SendsTinyPacketsButSpeechDoesNot()
    {
        using var dtx = new OpusEncoder(new OpusEncoderOptions { Dtx = true });
        using var plain = new OpusEncoder(new OpusEncoderOptions());
        var silence = new float[48000 * 2];

        int[] dtxSizes = PacketSizes(dtx, silence);
        int[] plainSizes = PacketSizes(plain, silence);
        int[] speechSizes = PacketSizes(dtx, Speech.AsSpan(48000, 48000).ToArray());
        TestContext.Out.WriteLine($"silence: DTX {string.Join(',', dtxSizes.Take(30))}; plain {string.Join(',', plainSizes.Take(10))}");

        Assert.That(dtxSizes.Skip(25).Count(s => s <= 2), Is.GreaterThanOrEqualTo((dtxSizes.Length - 25) * 8 / 10), "DTX frames are 1–2 bytes");
        Assert.That(plainSizes.Skip(25), Is.All.GreaterThan(2), "without DTX every frame is a real packet");
        Assert.That(speechSizes.Average(), Is.GreaterThan(20), "speech is encoded normally with DTX on");
    }

    [Test]
    public void Decode_CorruptPacket_ThrowsOpusExceptionWithTheLibraryCode()
    {
        using var decoder = new OpusDecoder();
        var pcm = new float[OpusDecoder.MaxFrameSamples];

        var error = Assert.Throws<OpusException>(() => decoder.Decode([0xFF, 0xFF, 0xFF], pcm));

        Assert.That(error!.ErrorCode, Is.EqualTo(-4));
        Assert.That(error.Message, Does.Contain("corrupted").IgnoreCase);
    }

    [TestCase(44100, 1, 32000, 20000)]
    [TestCase(48000, 3, 32000, 20000)]
    [TestCase(48000, 1, 1000, 20000)]
    [TestCase(48000, 1, 32000, 25000)]
    public void Create_OptionOutOfRange_ThrowsNamingIt(int rate, int channels, int bitrate, int frameMicros)
    {
        var options = new OpusEncoderOptions { SampleRate = rate, Channels = channels, Bitrate = bitrate, FrameDurationMicros = frameMicros };

        Assert.That(() => new OpusEncoder(options), Throws.ArgumentException);
    }

    [Test]
    public void Platform_ThisMachine_SupportsSettings()
    {
        Assert.That(OpusPlatform.IsCtlSupported, Is.True);
        Assert.That(OpusPlatform.LibraryVersion, Does.StartWith("libopus"));
    }

    private static float[] RoundTrip(OpusEncoder encoder, OpusDecoder decoder, float[] input, Func<int, bool> lose, bool fec)
    {
        int frame = encoder.FrameSamples;
        int frames = input.Length / frame;
        var packets = new List<byte[]>();
        var buffer = new byte[OpusEncoder.MaxPacketBytes];
        for (int i = 0; i < frames; i++)
        {
            int length = encoder.Encode(input.AsSpan(i * frame, frame), buffer);
            packets.Add(buffer[..length]);
        }

        var output = new float[frames * frame];
        for (int i = 0; i < frames; i++)
        {
            var target = output.AsSpan(i * frame, frame);
            if (!lose(i))
            {
                decoder.Decode(packets[i], target);
            }
            else if (fec && i + 1 < frames && !lose(i + 1))
            {
                decoder.RecoverFromNext(packets[i + 1], target);
            }
            else
            {
                decoder.Conceal(target);
            }
        }

        return output;
    }

    private static double LostFrameSnr(float[] decoded, int lag, Func<int, bool> lose)
    {
        double signal = 0, noise = 0;
        for (int i = 1; i < (decoded.Length / 960) - 1; i++)
        {
            if (!lose(i))
            {
                continue;
            }

            for (int s = i * 960; s < (i + 1) * 960; s++)
            {
                float reference = s - lag >= 0 ? Speech[s - lag] : 0;
                signal += reference * reference;
                noise += (reference - decoded[s]) * (reference - decoded[s]);
            }
        }

        return 10 * Math.Log10(signal / noise);
    }

    private static int[] PacketSizes(OpusEncoder encoder, float[] input)
    {
        var buffer = new byte[OpusEncoder.MaxPacketBytes];
        var sizes = new int[input.Length / encoder.FrameSamples];
        for (int i = 0; i < sizes.Length; i++)
        {
            sizes[i] = encoder.Encode(input.AsSpan(i * encoder.FrameSamples, encoder.FrameSamples), buffer);
        }

        return sizes;
    }
}
