using Microsoft.Extensions.Options;

namespace WsAudio.Server.Hosting;

/// <summary>Refuses negative limits and timeouts too short to be meant, naming each.</summary>
internal sealed class LimitsOptionsValidator : IValidateOptions<LimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, LimitsOptions options)
    {
        var failures = new List<string>();
        foreach (var (setting, value) in new[]
        {
            (nameof(options.MaxFramesPerSecond), options.MaxFramesPerSecond),
            (nameof(options.MaxBytesPerSecond), options.MaxBytesPerSecond),
            (nameof(options.MaxControlMessagesPerSecond), options.MaxControlMessagesPerSecond),
            (nameof(options.MaxConnectionsPerIp), options.MaxConnectionsPerIp),
            (nameof(options.MaxConnections), options.MaxConnections),
            (nameof(options.MaxParticipantsPerRoom), options.MaxParticipantsPerRoom),
            (nameof(options.MaxRooms), options.MaxRooms),
        })
        {
            if (value < 0)
            {
                failures.Add($"{LimitsOptions.Section}:{setting} is {value}; use 0 to turn it off (for MaxConnections: to take it from the open-file limit), or a positive number.");
            }
        }

        foreach (var (setting, value, allowZero) in new[]
        {
            (nameof(options.JoinTimeout), options.JoinTimeout, false),
            (nameof(options.IdleTimeout), options.IdleTimeout, true),
            (nameof(options.SlowConsumerTimeout), options.SlowConsumerTimeout, false),
        })
        {
            if (!(allowZero && value == TimeSpan.Zero) && (value < TimeSpan.FromMilliseconds(100) || value > TimeSpan.FromDays(1)))
            {
                failures.Add($"{LimitsOptions.Section}:{setting} is {value}; it must be between 100 ms and 1 day{(allowZero ? ", or 0 for off" : string.Empty)}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
