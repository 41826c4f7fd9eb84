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
    public static AudioClip Read(Stream stream) => Read(stream, out _);

    /// <summary>Parses a WAV image; also reports the sample format the file used.</summary>
    public static AudioClip Parse(ReadOnlySpan<byte> file, out WavSampleFormat format)
    {
        using var stream = new MemoryStream(file.ToArray(), writable: false);
        return Read(stream, out format);
    }

    private static AudioClip Read(Stream stream, out WavSampleFormat format)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = WavHeader.Read(stream);
        format = header.Format;

        // A writer that streamed the file may leave the data size unknown, and a cut file holds less than it says:
        // take what is there.
        using var data = new MemoryStream();
        if (header.DataBytes is { } declared)
        {
            byte[] buffer = new byte[81920];
            for (long left = declared; left > 0;)
            {
                int read = stream.Read(buffer, 0, (int)Math.Min(left, buffer.Length));
                if (read == 0)
                {
                    break;
                }

                data.Write(buffer, 0, read);
                left -= read;
            }
        }
        else
        {
            stream.CopyTo(data);
        }

        return new AudioClip(Decode(data.GetBuffer().AsSpan(0, (int)data.Length), header.Format, header.Channels), header.SampleRate, header.Channels);
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
