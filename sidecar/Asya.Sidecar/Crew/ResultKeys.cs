namespace Asya.Sidecar.Crew;

/// <summary>
/// Keys of the crew's result store, shared with the clients that read it (<c>asya result</c>, <c>asya run</c>):
/// x-sink stores a finished envelope under its id, x-sump a dead-lettered one under <see cref="SumpPrefix"/> + id.
/// </summary>
public static class ResultKeys
{
    public const string SumpPrefix = "sump/";

    public static string Sink(string id) => id;

    public static string Sump(string id) => SumpPrefix + id;
}
