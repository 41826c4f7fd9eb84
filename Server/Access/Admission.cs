namespace WsAudio.Server.Access;

/// <summary>Who a validated token says the holder is, and what it may do.</summary>
internal sealed record Admission(string? Identity, string? Name, IReadOnlySet<string> Grants)
{
    /// <summary>Open rooms (no key configured): everyone may do everything except moderate and record.</summary>
    public static Admission Open { get; } = new(null, null, new HashSet<string> { Protocol.Grants.Publish, Protocol.Grants.Subscribe, Protocol.Grants.Tap });

    public bool Has(string grant) => Grants.Contains(grant);
}
