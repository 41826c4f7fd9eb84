using Microsoft.Extensions.Options;
using WsAudio.Protocol;

namespace WsAudio.Server.Outputs.Recording;

/// <summary>Refuses to start with recording settings outside their documented ranges, naming each one.</summary>
internal sealed class RecordingOptionsValidator : IValidateOptions<RecordingOptions>
{
    public ValidateOptionsResult Validate(string? name, RecordingOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Folder))
        {
            failures.Add($"{RecordingOptions.Section}:{nameof(options.Folder)} is empty; name the folder recordings are written to.");
        }

        foreach (string pattern in options.Rooms)
        {
            if (pattern != "*" && !RoomName.IsValid(pattern.TrimEnd('*')))
            {
                failures.Add($"{RecordingOptions.Section}:{nameof(options.Rooms)} has '{pattern}'; each entry is a room name, a prefix ending in *, or *.");
            }
        }

        if (options.QueueFrames is < 100 or > 100_000)
        {
            failures.Add($"{RecordingOptions.Section}:{nameof(options.QueueFrames)} is {options.QueueFrames}; it must be between 100 and 100000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
