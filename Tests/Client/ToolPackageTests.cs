using System.Diagnostics;
using WsAudio.Server.Hosting;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Client;

/// <summary>
/// The <c>wsaudio</c> command as a user installs it: packed as a .NET tool, installed with <c>dotnet tool install</c>
/// into a folder of its own, and run by name from there, as from PATH.
/// </summary>
public sealed class ToolPackageTests
{
    [Test]
    public async Task Pack_InstalledAsADotnetTool_RunsAsWsaudio()
    {
        string work = Path.Combine(TestContext.CurrentContext.WorkDirectory, "tool-" + Guid.NewGuid().ToString("N")[..8]);
        string packages = Path.Combine(work, "packages");
        string tools = Path.Combine(work, "bin");
        // ./build.sh test has built the solution in Release; the package is made from that build.
        Tool.Run("dotnet", "pack", Path.Combine(Repository.Root, "Client.Desktop", "Cli"), "-c", "Release", "--no-build", "-o", packages, "--nologo");
        Tool.Run("dotnet", "tool", "install", "wsaudio", "--tool-path", tools, "--add-source", packages);

        using var version = Tool.Start(Path.Combine(tools, "wsaudio"), "--version");
        string printed = (await version.StandardOutput.ReadToEndAsync()).Trim();
        await version.WaitForExitAsync();
        using var help = Tool.Start(Path.Combine(tools, "wsaudio"), "send", "--help");
        string usage = await help.StandardOutput.ReadToEndAsync();
        await help.WaitForExitAsync();

        Assert.Multiple(() =>
        {
            Assert.That(version.ExitCode, Is.Zero);
            Assert.That(printed, Is.EqualTo(CommandLine.Version), "the tool and the server carry one version");
            Assert.That(help.ExitCode, Is.Zero);
            Assert.That(usage, Does.Contain("--file"));
        });
    }
}
