namespace WsAudio.Client.Playback;

/// <summary>What happened to one stream's frames at this receiver.</summary>
public sealed record StreamStats
{
    public required uint StreamId { get; init; }

    public required string ParticipantId { get; init; }

    /// <summary>Frames that arrived and were decoded.</summary>
    public long Received { get; set; }

    /// <summary>Frames missing from the sequence (never arrived).</summary>
    public long Lost { get; set; }

    /// <summary>Lost frames replaced by concealment (Opus) or silence (PCM).</summary>
    public long Concealed { get; set; }

    /// <summary>Frames whose sequence number was already past: duplicates or reordered beyond use.</summary>
    public long Duplicates { get; set; }

    /// <summary>Frames that arrived after their playout time and were not heard.</summary>
    public long Late { get; set; }

    /// <summary>Frames whose payload could not be decoded.</summary>
    public long Corrupt { get; set; }
}
