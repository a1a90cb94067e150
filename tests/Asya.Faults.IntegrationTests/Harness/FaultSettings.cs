using System.Globalization;

namespace Asya.Faults.IntegrationTests.Harness;

/// <summary>
/// Sizes and seed of the suite, from the environment: ASYA_FAULTS_ENVELOPES (envelopes per load scenario, default
/// <see cref="DefaultEnvelopes"/>; see README for why) and ASYA_FAULTS_SEED (fault points; random when unset, printed in
/// every report line so a failing run can be repeated).
/// </summary>
internal static class FaultSettings
{
    public const int DefaultEnvelopes = 10_000;

    public static int Envelopes { get; } = Read("ASYA_FAULTS_ENVELOPES") ?? DefaultEnvelopes;

    public static int Seed { get; } = Read("ASYA_FAULTS_SEED") ?? Random.Shared.Next(1, int.MaxValue);

    /// <summary>A scenario's own random source: the suite seed mixed with the scenario's name, so scenarios do not share fault points.</summary>
    public static Random RandomFor(string scenario, string transport) =>
        new(unchecked(Seed * 31 + StableHash(scenario + "/" + transport)));

    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked(hash * 31 + c);
        }

        return hash;
    }

    private static int? Read(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } text
            ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
                ? value
                : throw new InvalidOperationException($"{variable}: '{text}' is not a positive whole number")
            : null;
}
