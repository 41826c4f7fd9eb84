using System.Runtime.InteropServices;

namespace WsAudio.Client.Devices;

/// <summary>Process-wide PortAudio set-up, device listing and lookup.</summary>
public static class PortAudio
{
    private static readonly Lock Gate = new();
    private static int s_users;

    /// <summary>Every device, in PortAudio's order.</summary>
    public static IReadOnlyList<AudioDevice> ListDevices()
    {
        Acquire();
        try
        {
            int count = PortAudioNative.GetDeviceCount();
            PortAudioNative.Check("Pa_GetDeviceCount", count);
            int defaultInput = PortAudioNative.GetDefaultInputDevice();
            int defaultOutput = PortAudioNative.GetDefaultOutputDevice();
            var devices = new List<AudioDevice>(count);
            for (int i = 0; i < count; i++)
            {
                var info = Marshal.PtrToStructure<PortAudioNative.DeviceInfo>(PortAudioNative.GetDeviceInfo(i));
                var host = Marshal.PtrToStructure<PortAudioNative.HostApiInfo>(PortAudioNative.GetHostApiInfo(info.HostApi));
                devices.Add(new AudioDevice(
                    i,
                    Marshal.PtrToStringUTF8(info.Name) ?? $"device {i}",
                    Marshal.PtrToStringUTF8(host.Name) ?? "?",
                    info.MaxInputChannels,
                    info.MaxOutputChannels,
                    info.DefaultSampleRate,
                    i == defaultInput,
                    i == defaultOutput));
            }

            return devices;
        }
        finally
        {
            Release();
        }
    }

    /// <summary>
    /// Finds a device by index or by a case-insensitive part of its name; null or empty picks the default. Throws
    /// <see cref="AudioDeviceException"/> listing what exists when nothing fits.
    /// </summary>
    public static AudioDevice Find(string? selector, bool input)
    {
        var devices = ListDevices().Where(d => input ? d.InputChannels > 0 : d.OutputChannels > 0).ToList();
        AudioDevice? found = string.IsNullOrWhiteSpace(selector)
            ? devices.FirstOrDefault(d => input ? d.IsDefaultInput : d.IsDefaultOutput) ?? devices.FirstOrDefault()
            : int.TryParse(selector, out int index)
                ? devices.FirstOrDefault(d => d.Index == index)
                : devices.FirstOrDefault(d => d.Name.Equals(selector, StringComparison.OrdinalIgnoreCase))
                  ?? devices.FirstOrDefault(d => d.Name.Contains(selector, StringComparison.OrdinalIgnoreCase));
        if (found is not null)
        {
            return found;
        }

        string kind = input ? "microphone" : "speaker";
        string known = devices.Count == 0 ? "none" : string.Join(", ", devices.Select(d => $"{d.Index} '{d.Name}'"));
        throw new AudioDeviceException(string.IsNullOrWhiteSpace(selector)
            ? $"no {kind} found (run 'wsaudio devices')"
            : $"no {kind} matches '{selector}'; {kind}s: {known}");
    }

    internal static void Acquire()
    {
        lock (Gate)
        {
            if (s_users++ == 0)
            {
                int result = QuietNativeErrors.Run(PortAudioNative.Initialize);
                if (result < 0)
                {
                    s_users--;
                    PortAudioNative.Check("Pa_Initialize", result);
                }
            }
        }
    }

    internal static void Release()
    {
        lock (Gate)
        {
            if (--s_users == 0)
            {
                _ = PortAudioNative.Terminate();
            }
        }
    }
}
