namespace WsAudio.Audio.Opus;

/// <summary>A libopus call failed; <see cref="ErrorCode"/> is the library's (negative) error code.</summary>
public sealed class OpusException : Exception
{
    public OpusException()
    {
    }

    public OpusException(string message)
        : base(message)
    {
    }

    public OpusException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal OpusException(string operation, int errorCode)
        : base($"{operation} failed: {OpusNative.ErrorText(errorCode)} ({errorCode})")
    {
        ErrorCode = errorCode;
    }

    /// <summary>The libopus error code, e.g. -4 for an invalid packet.</summary>
    public int ErrorCode { get; }

    internal static int Check(string operation, int result) => result < 0 ? throw new OpusException(operation, result) : result;
}
