using System.Buffers.Binary;

namespace WsAudio.Audio.Wav;

/// <summary>
/// Reads RIFF/WAVE files: 16-, 24- and 32-bit integer PCM and 32-bit float, at any rate and channel count, plain
/// or WAVE_FORMAT_EXTENSIBLE. Anything else is refused with an <see cref="InvalidDataException"/> that says what it is.
/// </summary>
public static class WavReader
{
    private const ushort FormatPcm = 1;
    private const ushort FormatFloat = 3;
    private const ushort FormatALaw = 6;
    private const ushort FormatMuLaw = 7;
    private const ushort FormatExtensible = 0xFFFE;

    /// <summary>Reads a whole WAV file.</summary>
    public static AudioClip Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream);
    }

    /// <summary>Reads a WAV file from <paramref name="stream"/> (to its end).</summary>
    public static AudioClip Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Parse(copy.GetBuffer().AsSpan(0, (int)copy.Length), out _);
    }

    /// <summary>Parses a WAV image; also reports the sample format the file used.</summary>
    public static AudioClip Parse(ReadOnlySpan<byte> file, out WavSampleFormat format)
    {
        if (file.Length < 12 || !file[..4].SequenceEqual("RIFF"u8) || !file.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException("not a WAV file: it does not start with a RIFF/WAVE header");
        }

        int sampleRate = 0;
        int channels = 0;
        format = default;
        bool haveFormat = false;
        int offset = 12;
        while (offset + 8 <= file.Length)
        {
            var id = file.Slice(offset, 4);
            uint declared = BinaryPrimitives.ReadUInt32LittleEndian(file[(offset + 4)..]);
            int body = offset + 8;

            // A writer that streamed the file may leave the data size at 0 or 0xFFFFFFFF: take what is there.
            int size = (int)Math.Min(declared, (uint)(file.Length - body));
            if (id.SequenceEqual("fmt "u8))
            {
                (format, sampleRate, channels) = ReadFormat(file.Slice(body, size));
                haveFormat = true;
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (!haveFormat)
                {
                    throw new InvalidDataException("invalid WAV file: the data chunk comes before the fmt chunk");
                }

                if (declared == 0 || declared == uint.MaxValue)
                {
                    size = file.Length - body;
                }

                return new AudioClip(Decode(file.Slice(body, size), format, channels), sampleRate, channels);
            }

            offset = body + size + (size & 1);
        }

        throw new InvalidDataException(haveFormat ? "invalid WAV file: no data chunk" : "invalid WAV file: no fmt chunk");
    }

    internal static (WavSampleFormat Format, int SampleRate, int Channels) ReadFormat(ReadOnlySpan<byte> fmt)
    {
        if (fmt.Length < 16)
        {
            throw new InvalidDataException($"invalid WAV file: the fmt chunk is {fmt.Length} bytes, at least 16 are needed");
        }

        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        int sampleRate = BinaryPrimitives.ReadInt32LittleEndian(fmt[4..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        if (tag == FormatExtensible && fmt.Length >= 26)
        {
            // The first two bytes of the SubFormat GUID carry the plain format tag.
            tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
        }

        if (channels < 1 || sampleRate < 1)
        {
            throw new InvalidDataException($"invalid WAV file: {channels} channels at {sampleRate} Hz");
        }

        var format = (tag, bits) switch
        {
            (FormatPcm, 16) => WavSampleFormat.Pcm16,
            (FormatPcm, 24) => WavSampleFormat.Pcm24,
            (FormatPcm, 32) => WavSampleFormat.Pcm32,
            (FormatFloat, 32) => WavSampleFormat.IeeeFloat32,
            (FormatPcm, _) => throw new InvalidDataException($"unsupported WAV: {bits}-bit PCM (16, 24 and 32-bit PCM and 32-bit float are supported)"),
            (FormatFloat, _) => throw new InvalidDataException($"unsupported WAV: {bits}-bit float (32-bit float is supported)"),
            (FormatALaw, _) => throw new InvalidDataException("unsupported WAV: A-law; convert it to PCM first (e.g. sox in.wav -e signed -b 16 out.wav)"),
            (FormatMuLaw, _) => throw new InvalidDataException("unsupported WAV: µ-law; convert it to PCM first (e.g. sox in.wav -e signed -b 16 out.wav)"),
            _ => throw new InvalidDataException($"unsupported WAV: format tag 0x{tag:X4} (compressed audio); convert it to PCM first"),
        };
        return (format, sampleRate, channels);
    }

    private static float[] Decode(ReadOnlySpan<byte> data, WavSampleFormat format, int channels)
    {
        int bytesPerSample = WavHeader.SampleBytes(format);
        var samples = new float[data.Length / (bytesPerSample * channels) * channels];
        DecodeSamples(data[..(samples.Length * bytesPerSample)], format, samples);
        return samples;
    }

    /// <summary>Converts interleaved samples in <paramref name="format"/> to floats in [-1, 1).</summary>
    public static void DecodeSamples(ReadOnlySpan<byte> data, WavSampleFormat format, Span<float> samples)
    {
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = format switch
            {
                WavSampleFormat.Pcm16 => BinaryPrimitives.ReadInt16LittleEndian(data[(i * 2)..]) / 32768f,
                WavSampleFormat.Pcm24 => ((data[i * 3] << 8) | (data[(i * 3) + 1] << 16) | (data[(i * 3) + 2] << 24)) / 2147483648f,
                WavSampleFormat.Pcm32 => BinaryPrimitives.ReadInt32LittleEndian(data[(i * 4)..]) / 2147483648f,
                _ => BinaryPrimitives.ReadSingleLittleEndian(data[(i * 4)..]),
            };
        }
    }
}
