namespace WsAudio.Protocol;

/// <summary>What a token allows. Roles need: speaker publish and subscribe, broadcaster publish, listener subscribe.</summary>
public static class Grants
{
    /// <summary>May send audio.</summary>
    public const string Publish = "publish";

    /// <summary>May hear the room.</summary>
    public const string Subscribe = "subscribe";

    /// <summary>May mute, unmute and remove other participants.</summary>
    public const string Admin = "admin";

    /// <summary>The grants a role needs.</summary>
    public static IReadOnlyList<string> RequiredFor(ParticipantRole role) => role switch
    {
        ParticipantRole.Speaker => [Publish, Subscribe],
        ParticipantRole.Broadcaster => [Publish],
        _ => [Subscribe],
    };
}
