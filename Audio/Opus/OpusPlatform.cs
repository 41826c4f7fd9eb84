using System.Runtime.InteropServices;

namespace WsAudio.Audio.Opus;

/// <summary>Where the variadic <c>opus_*_ctl</c> calls can be made safely from .NET.</summary>
/// <remarks>
/// .NET cannot call C variadic functions portably. Declaring <c>opus_encoder_ctl(st, request, int)</c> with fixed
/// arguments is correct only where the calling convention passes variadic integer and pointer arguments exactly
/// like fixed ones: the System V ABI (Linux and macOS on x64), AAPCS64 on Linux arm64, and Windows x64. Apple's
/// arm64 ABI puts variadic arguments on the stack, so the same declaration would pass garbage there.
/// </remarks>
public static class OpusPlatform
{
    /// <summary>True when encoder and decoder settings can be applied on this platform.</summary>
    public static bool IsCtlSupported => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => OperatingSystem.IsLinux() || OperatingSystem.IsWindows() || OperatingSystem.IsMacOS(),
        Architecture.Arm64 => OperatingSystem.IsLinux(),
        _ => false,
    };

    /// <summary>The libopus version string, e.g. "libopus 1.3.1".</summary>
    public static string LibraryVersion => System.Runtime.InteropServices.Marshal.PtrToStringAnsi(OpusNative.VersionString()) ?? "unknown";

    internal static void EnsureCtlSupported()
    {
        if (!IsCtlSupported)
        {
            throw new PlatformNotSupportedException(
                $"Opus settings cannot be applied on {RuntimeInformation.OSDescription} ({RuntimeInformation.ProcessArchitecture}): " +
                "opus_encoder_ctl is a C variadic function, and this platform passes variadic arguments differently from " +
                "fixed ones. Supported: Linux x64/arm64, Windows x64, macOS x64.");
        }
    }
}
