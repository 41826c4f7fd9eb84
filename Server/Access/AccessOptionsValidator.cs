using Microsoft.Extensions.Options;

namespace WsAudio.Server.Access;

/// <summary>Refuses keys too short for HS256 (32 bytes), naming the setting.</summary>
internal sealed class AccessOptionsValidator : IValidateOptions<AccessOptions>
{
    public ValidateOptionsResult Validate(string? name, AccessOptions options)
    {
        var failures = new List<string>();
        if (options.TokenKey.Length is > 0 and < 32)
        {
            failures.Add($"{AccessOptions.Section}:TokenKey must be at least 32 characters (HS256 needs a 256-bit key); it has {options.TokenKey.Length}.");
        }

        if (options.PreviousTokenKeys.Any(k => k.Length < 32))
        {
            failures.Add($"{AccessOptions.Section}:PreviousTokenKeys must each be at least 32 characters.");
        }

        if (options.PreviousTokenKeys.Length > 0 && !options.Enabled)
        {
            failures.Add($"{AccessOptions.Section}:PreviousTokenKeys needs a current {AccessOptions.Section}:TokenKey.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
