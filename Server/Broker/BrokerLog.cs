namespace WsAudio.Server.Broker;

/// <summary>The broker's log lines.</summary>
internal static partial class BrokerLog
{
    [LoggerMessage(20, LogLevel.Warning, "NATS at {Url} is unreachable ({Reason}); serving local rooms, retrying ({Held} failed attempts since the last such line)")]
    public static partial void Unreachable(ILogger logger, string url, string reason, long held);

    [LoggerMessage(21, LogLevel.Warning, "Node {Node} went quiet; its participants leave their rooms")]
    public static partial void NodeLost(ILogger logger, string node);

    [LoggerMessage(22, LogLevel.Warning, "The connection to NATS at {Url} stopped answering probes; replacing it")]
    public static partial void Replacing(ILogger logger, string url);

    [LoggerMessage(24, LogLevel.Information, "Connected to NATS at {Url} as node {Node}")]
    public static partial void Connected(ILogger logger, string url, string node);

    [LoggerMessage(23, LogLevel.Error, "The NATS watch failed; it carries on")]
    public static partial void WatchFailed(ILogger logger, Exception exception);
}
