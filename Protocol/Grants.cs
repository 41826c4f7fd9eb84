namespace WsAudio.Protocol;

/// <summary>What a token allows. Roles need: speaker publish and subscribe, broadcaster publish, listener subscribe, tap tap.</summary>
public static class Grants
{
    /// <summary>May send audio.</summary>
    public const string Publish = "publish";

    /// <summary>May hear the room.</summary>
    public const string Subscribe = "subscribe";

    /// <summary>May receive the room's speech decoded (role tap), for speech recognition.</summary>
    public const string Tap = "tap";

    /// <summary>May mute, unmute and remove other participants, and start and stop recordings.</summary>
    public const string Admin = "admin";

    /// <summary>The grants a role needs.</summary>
    public static IReadOnlyList<string> RequiredFor(ParticipantRole role) => role switch
    {
        ParticipantRole.Speaker => [Publish, Subscribe],
        ParticipantRole.Broadcaster => [Publish],
        ParticipantRole.Tap => [Tap],
        _ => [Subscribe],
    };
}
