using System.Reflection;
using System.Runtime.InteropServices;

namespace WsAudio.Client.Devices;

/// <summary>The PortAudio C API (blocking read/write subset), bound to the system's libportaudio.</summary>
internal static partial class PortAudioNative
{
    private const string Library = "portaudio";

    public const ulong Float32 = 0x00000001;
    public const int NoError = 0;
    public const int InputOverflowed = -9981;
    public const int OutputUnderflowed = -9980;

    static PortAudioNative()
    {
        NativeLibrary.SetDllImportResolver(typeof(PortAudioNative).Assembly, Resolve);
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct DeviceInfo
    {
        public int StructVersion;
        public IntPtr Name;
        public int HostApi;
        public int MaxInputChannels;
        public int MaxOutputChannels;
        public double DefaultLowInputLatency;
        public double DefaultLowOutputLatency;
        public double DefaultHighInputLatency;
        public double DefaultHighOutputLatency;
        public double DefaultSampleRate;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct HostApiInfo
    {
        public int StructVersion;
        public int Type;
        public IntPtr Name;
        public int DeviceCount;
        public int DefaultInputDevice;
        public int DefaultOutputDevice;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct StreamParameters
    {
        public int Device;
        public int ChannelCount;
        public CULong SampleFormat;
        public double SuggestedLatency;
        public IntPtr HostApiSpecificStreamInfo;
    }

    [LibraryImport(Library, EntryPoint = "Pa_Initialize")]
    public static partial int Initialize();

    [LibraryImport(Library, EntryPoint = "Pa_Terminate")]
    public static partial int Terminate();

    [LibraryImport(Library, EntryPoint = "Pa_GetErrorText")]
    public static partial IntPtr GetErrorText(int error);

    [LibraryImport(Library, EntryPoint = "Pa_GetDeviceCount")]
    public static partial int GetDeviceCount();

    [LibraryImport(Library, EntryPoint = "Pa_GetDefaultInputDevice")]
    public static partial int GetDefaultInputDevice();

    [LibraryImport(Library, EntryPoint = "Pa_GetDefaultOutputDevice")]
    public static partial int GetDefaultOutputDevice();

    [LibraryImport(Library, EntryPoint = "Pa_GetDeviceInfo")]
    public static partial IntPtr GetDeviceInfo(int device);

    [LibraryImport(Library, EntryPoint = "Pa_GetHostApiInfo")]
    public static partial IntPtr GetHostApiInfo(int hostApi);

    [LibraryImport(Library, EntryPoint = "Pa_IsFormatSupported")]
    public static unsafe partial int IsFormatSupported(StreamParameters* input, StreamParameters* output, double sampleRate);

    [LibraryImport(Library, EntryPoint = "Pa_OpenStream")]
    public static unsafe partial int OpenStream(out IntPtr stream, StreamParameters* input, StreamParameters* output, double sampleRate, CULong framesPerBuffer, CULong flags, IntPtr callback, IntPtr userData);

    [LibraryImport(Library, EntryPoint = "Pa_StartStream")]
    public static partial int StartStream(IntPtr stream);

    [LibraryImport(Library, EntryPoint = "Pa_StopStream")]
    public static partial int StopStream(IntPtr stream);

    [LibraryImport(Library, EntryPoint = "Pa_CloseStream")]
    public static partial int CloseStream(IntPtr stream);

    [LibraryImport(Library, EntryPoint = "Pa_ReadStream")]
    public static unsafe partial int ReadStream(IntPtr stream, float* buffer, CULong frames);

    [LibraryImport(Library, EntryPoint = "Pa_WriteStream")]
    public static unsafe partial int WriteStream(IntPtr stream, float* buffer, CULong frames);

    public static string ErrorText(int error) => Marshal.PtrToStringUTF8(GetErrorText(error)) ?? $"error {error}";

    public static void Check(string operation, int result)
    {
        if (result < 0)
        {
            throw new AudioDeviceException($"{operation} failed: {ErrorText(result)} ({result})");
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library)
        {
            return IntPtr.Zero;
        }

        string file = OperatingSystem.IsWindows() ? "portaudio.dll" : OperatingSystem.IsMacOS() ? "libportaudio.2.dylib" : "libportaudio.so.2";
        if (NativeLibrary.TryLoad(file, assembly, searchPath, out var handle))
        {
            return handle;
        }

        throw new AudioDeviceException(
            $"Microphone and speaker need PortAudio ({file}), which was not found. Install it: Debian/Ubuntu " +
            "'apt-get install libportaudio2', Fedora 'dnf install portaudio', macOS 'brew install portaudio', " +
            "Windows: put portaudio.dll next to the program. Files and pipes work without it.");
    }
}
