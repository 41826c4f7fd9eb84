using Microsoft.Extensions.Options;

namespace WsAudio.Server.Radio;

/// <summary>Refuses to start with radio settings outside their documented ranges, naming each one.</summary>
internal sealed class RadioOptionsValidator : IValidateOptions<RadioOptions>
{
    public ValidateOptionsResult Validate(string? name, RadioOptions options)
    {
        var failures = new List<string>();
        if (options.SourceTimeout < TimeSpan.FromSeconds(1) || options.SourceTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{RadioOptions.Section}:{nameof(options.SourceTimeout)} is {options.SourceTimeout}; it must be between 00:00:01 and 00:05:00.");
        }

        if (options.ListenBurst < TimeSpan.Zero || options.ListenBurst > TimeSpan.FromSeconds(5))
        {
            failures.Add($"{RadioOptions.Section}:{nameof(options.ListenBurst)} is {options.ListenBurst}; it must be between 00:00:00 and 00:00:05.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
