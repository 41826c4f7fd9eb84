using Microsoft.Extensions.Options;

namespace WsAudio.Server.Hosting;

/// <summary>Refuses to start with settings outside their documented ranges, naming each one.</summary>
internal sealed class RelayOptionsValidator : IValidateOptions<RelayOptions>
{
    public ValidateOptionsResult Validate(string? name, RelayOptions options)
    {
        var failures = new List<string>();
        CheckRange(failures, nameof(options.QueueDepth), options.QueueDepth, 1, 10_000);
        CheckRange(failures, nameof(options.MaxPendingControlMessages), options.MaxPendingControlMessages, 16, 100_000);
        CheckRange(failures, nameof(options.MaxMessageBytes), options.MaxMessageBytes, 1024, 1024 * 1024);
        CheckRange(failures, nameof(options.StreamIdleTimeout), options.StreamIdleTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        CheckRange(failures, nameof(options.CloseTimeout), options.CloseTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        CheckRange(failures, nameof(options.KeepAliveInterval), options.KeepAliveInterval, TimeSpan.Zero, TimeSpan.FromHours(1));
        CheckRange(failures, nameof(options.KeepAliveTimeout), options.KeepAliveTimeout, TimeSpan.Zero, TimeSpan.FromHours(1));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckRange<T>(List<string> failures, string setting, T value, T min, T max)
        where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            failures.Add($"{RelayOptions.Section}:{setting} is {value}; it must be between {min} and {max}.");
        }
    }
}
