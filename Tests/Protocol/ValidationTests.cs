using WsAudio.Protocol;

namespace WsAudio.Tests.Protocol;

public sealed class ValidationTests
{
    [TestCase("lobby", true)]
    [TestCase("Radio.Station_1-b", true)]
    [TestCase("9", true)]
    [TestCase("", false)]
    [TestCase(null, false)]
    [TestCase(".hidden", false)]
    [TestCase("-x", false)]
    [TestCase("has space", false)]
    [TestCase("slash/room", false)]
    [TestCase("üml", false)]
    public void IsValid_RoomName_FollowsTheRule(string? name, bool valid) =>
        Assert.That(RoomName.IsValid(name), Is.EqualTo(valid));

    [Test]
    public void IsValid_RoomNameLongerThan64_IsFalse()
    {
        Assert.That(RoomName.IsValid(new string('a', 64)), Is.True);
        Assert.That(RoomName.IsValid(new string('a', 65)), Is.False);
    }

    [TestCase("  Ada  ", true, "Ada")]
    [TestCase(null, true, "")]
    [TestCase("Zoë 🎙", true, "Zoë 🎙")]
    [TestCase("bell\u0007", false, "")]
    public void TryNormalize_DisplayName_TrimsAndRefusesControlCharacters(string? name, bool valid, string expected)
    {
        bool ok = DisplayName.TryNormalize(name, out string normalized);

        Assert.That(ok, Is.EqualTo(valid));
        if (valid)
        {
            Assert.That(normalized, Is.EqualTo(expected));
        }
    }

    [TestCase(AudioCodec.Opus, 48000, 1, true)]
    [TestCase(AudioCodec.Opus, 48000, 2, true)]
    [TestCase(AudioCodec.Opus, 16000, 1, false)]
    [TestCase(AudioCodec.Opus, 48000, 3, false)]
    [TestCase(AudioCodec.Pcm16, 16000, 1, true)]
    [TestCase(AudioCodec.Pcm16, 44100, 2, true)]
    [TestCase(AudioCodec.Pcm16, 12345, 1, false)]
    [TestCase(AudioCodec.Pcm16, 48000, 0, false)]
    public void Validate_AudioFormat_AcceptsOnlyDocumentedFormats(AudioCodec codec, int rate, int channels, bool valid)
    {
        var format = new AudioFormat { Codec = codec, SampleRate = rate, Channels = channels };

        Assert.That(format.Validate() is null, Is.EqualTo(valid), format.Validate());
    }
}
