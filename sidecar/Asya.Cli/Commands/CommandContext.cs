namespace Asya.Cli.Commands;

/// <summary>What every command gets: its output streams, environment and clock.</summary>
internal sealed record CommandContext(TextWriter Stdout, TextWriter Stderr, Func<string, string?> Env, TimeProvider Time)
{
    public static CommandContext Create(TextWriter stdout, TextWriter stderr) =>
        new(stdout, stderr, Environment.GetEnvironmentVariable, TimeProvider.System);
}
