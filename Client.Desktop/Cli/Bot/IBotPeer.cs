namespace WsAudio.Cli.Bot;

/// <summary>One simulated participant of a load test, however it is connected.</summary>
internal interface IBotPeer
{
    bool IsSpeaker { get; }

    /// <summary>Connects (and joins); false, and counted, when that fails.</summary>
    Task<bool> ConnectAsync(TimeSpan timeout);

    /// <summary>Keeps a listen-only connection inside the server's idle timeout, where it has one.</summary>
    Task PingAsync();

    /// <summary>Adds what this peer measured to the totals and closes its connection.</summary>
    Task FinishAsync();
}
