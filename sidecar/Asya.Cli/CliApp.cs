using System.Runtime.InteropServices;
using Asya.Cli.Cli;
using Asya.Cli.Commands;
using Asya.Components.Abstractions;
using Asya.Gateway.Hosting;
using Asya.Hosting;
using Asya.Runtime.Protocol;
using Asya.Sidecar;

namespace Asya.Cli;

/// <summary>Entry of the <c>asya</c> command: dispatches to a command, maps failures to exit codes.</summary>
internal static class CliApp
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken) =>
        RunAsync(args, CommandContext.Create(stdout, stderr), cancellationToken);

    public static async Task<int> RunAsync(string[] args, CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        var (stdout, stderr) = (context.Stdout, context.Stderr);
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            (args.Length == 0 ? stderr : stdout).WriteLine(HelpText.Root);
            return args.Length == 0 ? ExitCodes.Usage : ExitCodes.Ok;
        }

        var command = args[0];
        var rest = args[1..];
        if (command == "sidecar" && rest.Any(a => a is "--help" or "-h"))
        {
            stdout.WriteLine(SidecarProgram.Help);
            return ExitCodes.Ok;
        }

        if (command == "sidecar")
        {
            // The sidecar owns its signals and logging; nothing of the CLI wraps it.
            return await SidecarProgram.RunAsync(rest, cancellationToken);
        }

        if (command == "gateway" && rest.Any(a => a is "--help" or "-h"))
        {
            stdout.WriteLine(GatewayProgram.Help);
            return ExitCodes.Ok;
        }

        if (command == "gateway")
        {
            // The gateway as asya up runs it: the asya-gateway program itself (its own flags, --help, signals, logging).
            return await GatewayProgram.RunAsync(rest, ProcessEnvironment.Read());
        }

        // One nesting limit for the CLI and every sidecar (and runtime) it starts, which inherit the variable.
        if (context.Env(ProtocolJson.MaxDepthVariable) is { Length: > 0 } depthText)
        {
            if (!ProtocolJson.TryParseMaxDepth(depthText, out var depth, out var depthError))
            {
                stderr.WriteLine($"asya: {ProtocolJson.MaxDepthVariable}: {depthError}");
                return ExitCodes.Usage;
            }

            ProtocolJson.Configure(depth);
        }

        if (Help(command) is not { } help)
        {
            stderr.WriteLine($"asya: unknown command '{command}' (commands: up, run, call, send, result, manifests, components, sidecar, gateway; see asya --help)");
            return ExitCodes.Usage;
        }

        if (rest.Any(a => a is "--help" or "-h"))
        {
            stdout.WriteLine(help);
            return ExitCodes.Ok;
        }

        if (command == "manifests")
        {
            try
            {
                return await ManifestsCommand.RunAsync(rest, context, cancellationToken);
            }
            catch (CliException ex)
            {
                stderr.WriteLine($"asya: {ex.Message}");
                return ex.ExitCode;
            }
            catch (Exception ex) when (ex is ConfigurationException or ComponentConfigurationException)
            {
                stderr.WriteLine($"asya: {ex.Message}");
                return ConfigurationException.ExitCode;
            }
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => OnSignal(c, stop));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => OnSignal(c, stop));
        try
        {
            return command switch
            {
                "up" => await UpCommand.RunAsync(rest, context, stop.Token),
                "run" => await RunCommand.RunAsync(rest, context, stop.Token),
                "call" => await CallCommand.RunAsync(rest, context, stop.Token),
                "send" => await SendCommand.RunAsync(rest, context, stop.Token),
                "components" => await ComponentsCommand.RunAsync(rest, context, stop.Token),
                _ => await ResultCommand.RunAsync(rest, context, stop.Token),
            };
        }
        catch (CliException ex)
        {
            stderr.WriteLine($"asya: {ex.Message}");
            return ex.ExitCode;
        }
        catch (Exception ex) when (ex is ConfigurationException or ComponentConfigurationException)
        {
            stderr.WriteLine($"asya: {ex.Message}");
            return ConfigurationException.ExitCode;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            stderr.WriteLine("asya: interrupted");
            return 130;
        }
    }

    private static string? Help(string command) => command switch
    {
        "up" => CliFlags.For(command).RenderHelp(HelpText.Up),
        "run" => CliFlags.For(command).RenderHelp(HelpText.Run),
        "call" => CliFlags.For(command).RenderHelp(HelpText.Call),
        "send" => CliFlags.For(command).RenderHelp(HelpText.Send),
        "result" => CliFlags.For(command).RenderHelp(HelpText.Result),
        "manifests" => CliFlags.For(command).RenderHelp(HelpText.Manifests),
        "components" => CliFlags.For(command).RenderHelp(HelpText.Components),
        _ => null,
    };

    private static void OnSignal(PosixSignalContext context, CancellationTokenSource stop)
    {
        // Handled here: children get SIGTERM from the supervisor and drain before this process exits.
        context.Cancel = true;
        stop.Cancel();
    }
}
