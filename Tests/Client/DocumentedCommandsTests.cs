using System.Text;
using System.Text.RegularExpressions;
using WsAudio.Cli;
using WsAudio.Server.Hosting;
using WsAudio.Tests.Support;

namespace WsAudio.Tests.Client;

/// <summary>
/// Every <c>wsaudio</c> and server command line shown in the README and docs/ (in shell code blocks) is one the
/// tools accept today: the <c>wsaudio</c> ones through the tool's own parser, the server's through its command-line
/// check. An option renamed in the code and not in the docs fails here. Lines with placeholders (…) are skipped.
/// </summary>
public sealed partial class DocumentedCommandsTests
{
    [Test]
    public void DocumentedCommands_AllParse_WithoutErrors()
    {
        var problems = new List<string>();
        int checkedLines = 0;
        foreach (var (where, line) in ShellLines())
        {
            // Placeholders, and installing the tool (where "wsaudio" is the package's name, not the command).
            if (line.Contains('…', StringComparison.Ordinal) || line.Contains("...", StringComparison.Ordinal) || line.Contains("dotnet tool", StringComparison.Ordinal))
            {
                continue;
            }

            if (ToolArguments(line) is { } tool)
            {
                checkedLines++;
                var errors = Commands.CreateRoot().Parse(tool).Errors;
                if (errors.Count > 0)
                {
                    problems.Add($"{where}: wsaudio {string.Join(' ', tool)}: {string.Join("; ", errors.Select(e => e.Message))}");
                }
            }
            else if (ServerArguments(line) is { } server)
            {
                checkedLines++;
                if (CommandLine.FindProblem(server) is { } problem)
                {
                    problems.Add($"{where}: server {string.Join(' ', server)}: {problem}");
                }
            }
        }

        TestContext.Out.WriteLine($"{checkedLines} documented command lines checked");
        Assert.Multiple(() =>
        {
            Assert.That(checkedLines, Is.GreaterThan(20), "the docs' command lines were found");
            Assert.That(problems, Is.Empty, string.Join('\n', problems));
        });
    }

    // Lines of ```sh / ```bash / ```shell blocks, with their file and line number.
    private static IEnumerable<(string Where, string Line)> ShellLines()
    {
        var files = new[] { "README.md" }.Concat(Directory.GetFiles(Path.Combine(Repository.Root, "docs"), "*.md").Select(f => Path.GetRelativePath(Repository.Root, f)));
        foreach (string file in files)
        {
            bool inShell = false;
            int number = 0;
            string pending = string.Empty;
            foreach (string line in File.ReadLines(Path.Combine(Repository.Root, file)))
            {
                number++;
                if (line.StartsWith("```", StringComparison.Ordinal))
                {
                    inShell = !inShell && line[3..].Trim() is "sh" or "bash" or "shell" or "console";
                    continue;
                }

                if (!inShell)
                {
                    continue;
                }

                // A line that ends in a backslash goes on in the next one.
                if (line.EndsWith('\\'))
                {
                    pending += line[..^1] + " ";
                    continue;
                }

                yield return ($"{file}:{number}", pending + line);
                pending = string.Empty;
            }
        }
    }

    // The arguments after "wsaudio" (an installed command or dotnet $wsaudio), up to a pipe, redirect or comment.
    private static string[]? ToolArguments(string line)
    {
        var match = ToolCall().Match(line);
        return match.Success ? Split(line[(match.Index + match.Length)..]) : null;
    }

    private static string[]? ServerArguments(string line)
    {
        var match = ServerCall().Match(line);
        return match.Success ? Split(line[(match.Index + match.Length)..]) : null;
    }

    // Shell words: quotes kept together, stopping at |, >, <, ;, && or a # comment.
    private static string[] Split(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool started = false;
        char quote = '\0';
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    word.Append(c);
                }

                continue;
            }

            if (c is '\'' or '"')
            {
                quote = c;
                started = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (started)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    started = false;
                }
            }
            else if (c is '|' or '>' or '<' or ';' or '&' || (c == '#' && !started))
            {
                break;
            }
            else
            {
                word.Append(c);
                started = true;
            }
        }

        if (started)
        {
            words.Add(word.ToString());
        }

        return [.. words];
    }

    [GeneratedRegex(@"(?:^|[\s|(])(?:dotnet \$wsaudio|wsaudio)(?= )")]
    private static partial Regex ToolCall();

    [GeneratedRegex(@"(?:dotnet (?:\S*/)?WsAudio\.Server\.dll|\./build\.sh run)(?= |$)")]
    private static partial Regex ServerCall();
}
