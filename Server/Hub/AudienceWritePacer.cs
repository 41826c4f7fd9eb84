namespace WsAudio.Server.Hub;

/// <summary>
/// Decides, for one room, which fan-outs wake the audience's send loops when
/// <see cref="Hosting.PresenceOptions.AudienceWriteInterval"/> is set: the others leave their frame queued
/// without waking anyone, so an audience member's send loop runs, and writes everything waiting in one system
/// call, about once per interval instead of once per frame.
/// </summary>
/// <remarks>
/// The clock is the time of the oldest frame still held. A fan-out that finds it an interval old claims it (resets
/// it) and wakes the audience; one that holds its frame marks the clock afterwards if it was clear. A frame queued
/// before a claim is written by that claim's wake-ups; one queued after it has set, or found set, a clock that a
/// later claim (a fan-out, or the room's timer when the sender has gone quiet) will take. So no frame stays
/// held for longer than about one interval, or one and a half when the sender stops.
/// </remarks>
internal sealed class AudienceWritePacer
{
    private readonly long _intervalMs;
    private long _heldSince;

    /// <param name="interval">Zero turns holding off.</param>
    public AudienceWritePacer(TimeSpan interval)
    {
        _intervalMs = (long)interval.TotalMilliseconds;
    }

    /// <summary>False when every frame wakes its receivers.</summary>
    public bool Enabled => _intervalMs > 0;

    /// <summary>
    /// True when this fan-out, at <paramref name="now"/> (<see cref="Environment.TickCount64"/>), is the one to wake
    /// the audience; the caller then rings every receiver. When false the caller queues its frame without ringing
    /// and calls <see cref="MarkHeld"/> after.
    /// </summary>
    public bool TryClaimDue(long now)
    {
        long since = Volatile.Read(ref _heldSince);
        return since != 0 && now - since >= _intervalMs && Interlocked.CompareExchange(ref _heldSince, 0, since) == since;
    }

    /// <summary>Records that a frame was held at <paramref name="now"/>, unless an older one already is.</summary>
    public void MarkHeld(long now) => Interlocked.CompareExchange(ref _heldSince, Math.Max(now, 1), 0);
}
