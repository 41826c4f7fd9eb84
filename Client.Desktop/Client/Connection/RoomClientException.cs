namespace WsAudio.Client.Connection;

/// <summary>The server refused something, or the connection failed; <see cref="ErrorCode"/> is the protocol's code when there is one.</summary>
public sealed class RoomClientException : Exception
{
    public RoomClientException()
    {
    }

    public RoomClientException(string message)
        : base(message)
    {
    }

    public RoomClientException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RoomClientException(string? errorCode, string message)
        : base(errorCode is null ? message : $"{errorCode}: {message}")
    {
        ErrorCode = errorCode;
    }

    public RoomClientException(string? errorCode, string message, Exception innerException)
        : base(errorCode is null ? message : $"{errorCode}: {message}", innerException)
    {
        ErrorCode = errorCode;
    }

    /// <summary>A code from <see cref="Protocol.ErrorCodes"/>, or null for transport failures.</summary>
    public string? ErrorCode { get; }
}
