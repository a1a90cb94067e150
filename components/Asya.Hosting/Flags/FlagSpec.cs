namespace Asya.Hosting.Flags;

/// <summary>
/// One row of a process's flag table: the flag, the variable that stands in for it, its default as shown in
/// <c>--help</c> and what it means. The parser reads the default from the same row, so it is stated once.
/// </summary>
/// <param name="Name">Flag without the leading dashes (<c>drain-timeout</c>).</param>
/// <param name="Env">Environment variable read when the flag is absent; null for flag-only options.</param>
/// <param name="Default">Default value as text (parsed like a given value); null when there is none.</param>
/// <param name="Meaning">One line for <c>--help</c>.</param>
public sealed record FlagSpec(string Name, string? Env, string? Default, string Meaning)
{
    /// <summary>A switch takes no value (<c>--verbose</c>); present means true.</summary>
    public bool IsSwitch { get; init; }

    /// <summary>May be given several times; every value is kept (<see cref="FlagValues.GetAll"/>).</summary>
    public bool Repeatable { get; init; }

    /// <summary>Where the value comes from, as error messages name it: <c>--drain-timeout (or ASYA_DRAIN_TIMEOUT)</c>.</summary>
    public string Where => Env is null ? $"--{Name}" : $"--{Name} (or {Env})";
}
