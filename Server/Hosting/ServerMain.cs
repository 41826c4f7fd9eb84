using Microsoft.Extensions.Options;

namespace WsAudio.Server.Hosting;

/// <summary>
/// The server process: reads the command line, starts, and turns every start-up failure into one line on standard
/// error and an exit code: 2 for a command line or setting that cannot be taken, 1 for anything else (a port in
/// use, a certificate that cannot be read). Stack traces only with <c>--Logging:LogLevel:Default=Debug</c>.
/// </summary>
internal static class ServerMain
{
    public const int BadUsage = 2;
    public const int Failed = 1;

    public static int Run(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.Out.Write(CommandLine.Help());
            return 0;
        }

        if (args.Contains("--version"))
        {
            Console.Out.WriteLine(CommandLine.Version);
            return 0;
        }

        if (CommandLine.FindProblem(args) is { } problem)
        {
            return Fail(BadUsage, problem);
        }

        bool debug = args.Any(a => a.StartsWith("--Logging:LogLevel:", StringComparison.OrdinalIgnoreCase) && (a.EndsWith("Debug", StringComparison.OrdinalIgnoreCase) || a.EndsWith("Trace", StringComparison.OrdinalIgnoreCase)));
        try
        {
            ServerApp.Build(args).Run();
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            return Fail(BadUsage, string.Join(" ", ex.Failures), debug ? ex : null);
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            // "Failed to convert configuration value 'abc' at 'Network:Port' to type 'System.Int32'."
            return Fail(BadUsage, ex.Message.Replace("to type 'System.", "to type '", StringComparison.Ordinal), debug ? ex : null);
        }
        catch (IOException ex)
        {
            // Kestrel's says which address: "Failed to bind to address http://127.0.0.1:8080: address already in use."
            return Fail(Failed, ex.Message, debug ? ex : null);
        }
        catch (Exception ex)
        {
            return Fail(Failed, ex.GetBaseException().Message, debug ? ex : null);
        }
    }

    private static int Fail(int code, string message, Exception? detail = null)
    {
        Console.Error.WriteLine($"wsaudio-server: {message.ReplaceLineEndings(" ")}");
        if (detail is not null)
        {
            Console.Error.WriteLine(detail);
        }

        return code;
    }
}
