using System.Reflection;
using System.Runtime.InteropServices;

namespace WsAudio.Audio.Opus;

/// <summary>The libopus C API, bound with source-generated P/Invoke to the library the system provides.</summary>
internal static partial class OpusNative
{
    private const string Library = "opus";

    public const int Ok = 0;
    public const int SetBitrateRequest = 4002;
    public const int SetComplexityRequest = 4010;
    public const int SetInbandFecRequest = 4012;
    public const int SetPacketLossPercRequest = 4014;
    public const int SetDtxRequest = 4016;
    public const int GetLookaheadRequest = 4027;
    public const int ResetState = 4028;
    public const int GetInDtxRequest = 4049;

    static OpusNative()
    {
        NativeLibrary.SetDllImportResolver(typeof(OpusNative).Assembly, Resolve);
    }

    [LibraryImport(Library, EntryPoint = "opus_encoder_create")]
    public static partial OpusEncoderHandle EncoderCreate(int sampleRate, int channels, int application, out int error);

    [LibraryImport(Library, EntryPoint = "opus_encoder_destroy")]
    public static partial void EncoderDestroy(IntPtr encoder);

    [LibraryImport(Library, EntryPoint = "opus_encode_float")]
    public static unsafe partial int EncodeFloat(OpusEncoderHandle encoder, float* pcm, int frameSize, byte* data, int maxDataBytes);

    // opus_encoder_ctl is variadic; these fixed-argument forms are only called after OpusPlatform.EnsureCtlSupported.
    [LibraryImport(Library, EntryPoint = "opus_encoder_ctl")]
    public static partial int EncoderCtl(OpusEncoderHandle encoder, int request, int value);

    [LibraryImport(Library, EntryPoint = "opus_encoder_ctl")]
    public static partial int EncoderCtlGet(OpusEncoderHandle encoder, int request, out int value);

    [LibraryImport(Library, EntryPoint = "opus_encoder_ctl")]
    public static partial int EncoderCtl(OpusEncoderHandle encoder, int request);

    [LibraryImport(Library, EntryPoint = "opus_decoder_create")]
    public static partial OpusDecoderHandle DecoderCreate(int sampleRate, int channels, out int error);

    [LibraryImport(Library, EntryPoint = "opus_decoder_destroy")]
    public static partial void DecoderDestroy(IntPtr decoder);

    [LibraryImport(Library, EntryPoint = "opus_decode_float")]
    public static unsafe partial int DecodeFloat(OpusDecoderHandle decoder, byte* data, int length, float* pcm, int frameSize, int decodeFec);

    [LibraryImport(Library, EntryPoint = "opus_packet_get_nb_samples")]
    public static unsafe partial int PacketGetSamples(byte* packet, int length, int sampleRate);

    [LibraryImport(Library, EntryPoint = "opus_strerror")]
    public static partial IntPtr StrError(int error);

    [LibraryImport(Library, EntryPoint = "opus_get_version_string")]
    public static partial IntPtr VersionString();

    public static string ErrorText(int error) => Marshal.PtrToStringAnsi(StrError(error)) ?? $"error {error}";

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library)
        {
            return IntPtr.Zero;
        }

        string file = OperatingSystem.IsWindows() ? "opus.dll" : OperatingSystem.IsMacOS() ? "libopus.0.dylib" : "libopus.so.0";
        if (NativeLibrary.TryLoad(file, assembly, searchPath, out var handle))
        {
            return handle;
        }

        throw new DllNotFoundException(
            $"The Opus library ({file}) was not found. Install it: Debian/Ubuntu 'apt-get install libopus0', " +
            "Fedora 'dnf install opus', macOS 'brew install opus', Windows: put opus.dll next to the program.");
    }
}
