using System.Buffers.Binary;

namespace WsAudio.Audio.Wav;

/// <summary>
/// What a WAV stream holds, read from its header without reading its samples: the samples follow in the stream.
/// <see cref="DataBytes"/> is null when the writer streamed the file and left the size unknown (ffmpeg and sox
/// writing to a pipe), in which case the samples run to the end of the stream.
/// </summary>
public sealed record WavHeader(WavSampleFormat Format, int SampleRate, int Channels, long? DataBytes)
{
    // A fmt chunk is 16 to 40 bytes; one declaring more than this is not a WAV header.
    private const int MaxFormatBytes = 4096;

    /// <summary>Bytes one sample of one channel takes in <paramref name="format"/>.</summary>
    public static int SampleBytes(WavSampleFormat format) => format switch
    {
        WavSampleFormat.Pcm16 => 2,
        WavSampleFormat.Pcm24 => 3,
        _ => 4,
    };

    /// <summary>Reads up to the first sample of the data chunk; throws <see cref="InvalidDataException"/> saying what is wrong.</summary>
    public static WavHeader Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> head = stackalloc byte[12];
        if (stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) < head.Length || !head[..4].SequenceEqual("RIFF"u8) || !head.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException("not a WAV file: it does not start with a RIFF/WAVE header");
        }

        (WavSampleFormat Format, int Rate, int Channels)? format = null;
        Span<byte> chunk = stackalloc byte[8];
        while (stream.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false) == chunk.Length)
        {
            uint declared = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
            if (chunk[..4].SequenceEqual("data"u8))
            {
                if (format is not { } f)
                {
                    throw new InvalidDataException("invalid WAV file: the data chunk comes before the fmt chunk");
                }

                return new WavHeader(f.Format, f.Rate, f.Channels, declared is 0 or uint.MaxValue ? null : declared);
            }

            long padded = declared + (declared & 1);
            if (chunk[..4].SequenceEqual("fmt "u8))
            {
                if (declared > MaxFormatBytes)
                {
                    throw new InvalidDataException($"invalid WAV file: a fmt chunk of {declared} bytes");
                }

                byte[] body = new byte[padded];
                if (stream.ReadAtLeast(body, body.Length, throwOnEndOfStream: false) < body.Length)
                {
                    break;
                }

                format = WavReader.ReadFormat(body.AsSpan(0, (int)declared));
            }
            else if (!Skip(stream, padded))
            {
                break;
            }
        }

        throw new InvalidDataException(format is null ? "invalid WAV file: no fmt chunk" : "invalid WAV file: no data chunk");
    }

    // Passes over a chunk that is not needed (LIST, fact, cover art …) without holding it; false at the end of the stream.
    private static bool Skip(Stream stream, long bytes)
    {
        if (stream.CanSeek)
        {
            if (stream.Length - stream.Position < bytes)
            {
                return false;
            }

            stream.Seek(bytes, SeekOrigin.Current);
            return true;
        }

        Span<byte> sink = stackalloc byte[4096];
        while (bytes > 0)
        {
            int read = stream.Read(sink[..(int)Math.Min(bytes, sink.Length)]);
            if (read == 0)
            {
                return false;
            }

            bytes -= read;
        }

        return true;
    }
}
