namespace WsAudio.Server.Broker;

/// <summary>How rooms span server nodes. Section <c>Broker</c>; command line <c>--broker</c>.</summary>
internal sealed class BrokerOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Broker";

    /// <summary>
    /// NATS server URL(s), comma-separated (<c>nats://10.0.0.2:4222,nats://10.0.0.3:4222</c>). Empty (the default):
    /// this node serves its rooms alone and needs nothing else.
    /// </summary>
    public string Url { get; set; } = string.Empty;

    /// <summary>This node's name on the bus; default a random one per process start.</summary>
    public string NodeId { get; set; } = string.Empty;

    /// <summary>How often this node says it is alive. Default 1 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A node not heard from for this long is taken for dead: its participants leave every room. Default 3 s.</summary>
    public TimeSpan NodeTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Messages waiting to be published before new ones are dropped (counted), so the bus never holds up audio. Default 10,000.</summary>
    public int PublishQueueDepth { get; set; } = 10_000;

    public bool Enabled => Url.Length > 0;
}
