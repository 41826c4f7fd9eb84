namespace WsAudio.Client.Devices;

/// <summary>A microphone or speaker PortAudio can open.</summary>
public sealed record AudioDevice(int Index, string Name, string HostApi, int InputChannels, int OutputChannels, double DefaultSampleRate, bool IsDefaultInput, bool IsDefaultOutput);
