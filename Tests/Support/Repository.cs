namespace WsAudio.Tests.Support;

/// <summary>The source tree the tests were built from, for tests that build or pack what a user would.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        string directory = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(directory, "WsAudio.sln")))
        {
            directory = Path.GetDirectoryName(directory) ?? throw new InvalidOperationException("the repository was not found above the tests");
        }

        return directory;
    }
}
