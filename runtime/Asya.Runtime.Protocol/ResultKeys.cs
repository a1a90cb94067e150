namespace Asya.Runtime.Protocol;

/// <summary>
/// Keys of the crew's result store, shared with the clients that read it (<c>asya result</c>, <c>asya run</c>, the
/// gateway): x-sink stores a finished envelope under its id, x-sump a dead-lettered one under <see cref="SumpPrefix"/> + id.
/// </summary>
public static class ResultKeys
{
    /// <summary>Prefix of x-sump's keys.</summary>
    public const string SumpPrefix = "sump/";

    /// <summary>Where x-sink stores envelope <paramref name="id"/>.</summary>
    public static string Sink(string id) => id;

    /// <summary>Where x-sump stores envelope <paramref name="id"/>.</summary>
    public static string Sump(string id) => SumpPrefix + id;
}
