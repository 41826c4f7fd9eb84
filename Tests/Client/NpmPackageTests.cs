using System.Globalization;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Client;

/// <summary>
/// The npm package as a site's developer gets it: packed from a clone, installed into a project of their own,
/// type-checked strictly and bundled.
/// </summary>
public sealed class NpmPackageTests
{
    [Test]
    public async Task Pack_InstalledIntoAnotherProject_TypeChecksAndBundles()
    {
        string web = Path.Combine(Repository.Root, "Client.Web");
        string project = Path.Combine(TestContext.CurrentContext.WorkDirectory, "uses-wsaudio-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(project);
        Tool.Run("bash", "-c", $"cd '{web}' && npm pack --silent --pack-destination '{project}' > /dev/null");
        string tarball = Directory.GetFiles(project, "wsaudio-*.tgz").Single();
        await File.WriteAllTextAsync(Path.Combine(project, "package.json"), """{ "name": "uses-wsaudio", "private": true, "type": "module" }""");
        await File.WriteAllTextAsync(Path.Combine(project, "app.ts"), """
            import { Room, type RoomStats } from 'wsaudio';

            const room = new Room({ url: 'wss://audio.example.com/ws', room: 'lobby', name: 'Ada' });
            room.on('joined', (joined) => console.log(joined.participantId));
            const stats: RoomStats = room.getStats();
            const path: 'webcodecs' | 'wasm' | undefined = stats.decodePath;
            console.log(path, room.volume);
            """);

        Tool.Run("bash", "-c", $"cd '{project}' && npm install --no-audit --no-fund --silent '{tarball}'");
        Tool.Run("node", Path.Combine(web, "node_modules", "typescript", "bin", "tsc"), "--strict", "--noEmit", "--module", "nodenext", "--moduleResolution", "nodenext",
            "--target", "es2022", "--lib", "es2022,dom", Path.Combine(project, "app.ts"));
        Tool.Run(Path.Combine(web, "node_modules", "esbuild", "bin", "esbuild"), Path.Combine(project, "app.ts"), "--bundle", "--format=esm", "--log-level=warning",
            "--outfile=" + Path.Combine(project, "out.js"));

        string installed = Path.Combine(project, "node_modules", "wsaudio");
        Assert.Multiple(() =>
        {
            foreach (string file in new[] { "README.md", "LICENSE", "dist/wsaudio.js", "dist/wsaudio-opus.js", "dist/wsaudio-opus-encoder.js", "dist/types/index.d.ts" })
            {
                Assert.That(File.Exists(Path.Combine(installed, file)), file);
            }

            Assert.That(new FileInfo(Path.Combine(project, "out.js")).Length, Is.GreaterThan(10_000).And.LessThan(200_000), "the bundle holds the library, not the WebAssembly decoder it loads only when needed");
        });
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"packed {new FileInfo(tarball).Length / 1024.0:F0} KiB; bundle {new FileInfo(Path.Combine(project, "out.js")).Length / 1024.0:F0} KiB"));
    }
}
