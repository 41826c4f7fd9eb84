namespace WsAudio.Client.Devices;

/// <summary>A microphone or speaker could not be found, opened or used.</summary>
public sealed class AudioDeviceException : Exception
{
    public AudioDeviceException()
    {
    }

    public AudioDeviceException(string message)
        : base(message)
    {
    }

    public AudioDeviceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
