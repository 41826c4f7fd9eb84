using Microsoft.Extensions.Options;

namespace WsAudio.Server.Hosting;

/// <summary>Refuses to start with presence settings outside their documented ranges, naming each one.</summary>
internal sealed class PresenceOptionsValidator : IValidateOptions<PresenceOptions>
{
    public ValidateOptionsResult Validate(string? name, PresenceOptions options)
    {
        var failures = new List<string>();
        if (options.ListedListeners is < 0 or > 10_000)
        {
            failures.Add($"{PresenceOptions.Section}:{nameof(options.ListedListeners)} is {options.ListedListeners}; it must be between 0 and 10000.");
        }

        if (options.AudienceUpdateInterval < TimeSpan.FromMilliseconds(50) || options.AudienceUpdateInterval > TimeSpan.FromSeconds(10))
        {
            failures.Add($"{PresenceOptions.Section}:{nameof(options.AudienceUpdateInterval)} is {options.AudienceUpdateInterval}; it must be between 00:00:00.050 and 00:00:10.");
        }

        if (options.AudienceMemberUpdateInterval < options.AudienceUpdateInterval || options.AudienceMemberUpdateInterval > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{PresenceOptions.Section}:{nameof(options.AudienceMemberUpdateInterval)} is {options.AudienceMemberUpdateInterval}; it must be between {nameof(options.AudienceUpdateInterval)} ({options.AudienceUpdateInterval}) and 00:10:00.");
        }

        if (options.AudienceWriteInterval != TimeSpan.Zero &&
            (options.AudienceWriteInterval < TimeSpan.FromMilliseconds(10) || options.AudienceWriteInterval > TimeSpan.FromSeconds(1)))
        {
            failures.Add($"{PresenceOptions.Section}:{nameof(options.AudienceWriteInterval)} is {options.AudienceWriteInterval}; it must be 0 (off) or between 00:00:00.010 and 00:00:01.");
        }

        if (options.JoinBurst < TimeSpan.Zero || options.JoinBurst > TimeSpan.FromSeconds(1))
        {
            failures.Add($"{PresenceOptions.Section}:{nameof(options.JoinBurst)} is {options.JoinBurst}; it must be between 0 (off) and 00:00:01.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
