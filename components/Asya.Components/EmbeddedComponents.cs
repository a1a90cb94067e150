using Asya.Components.Abstractions;

namespace Asya.Components;

/// <summary>
/// The embedded SQLite components used when no manifest names a transport or state store. The sidecar, the scaler and
/// the <c>asya</c> command all get them through <see cref="AppComponents"/>, so a scaler or client started with the same
/// data directory uses the very database the sidecars use.
/// </summary>
public static class EmbeddedComponents
{
    /// <summary>Name of the embedded transport component.</summary>
    public const string TransportName = "asya-embedded-pubsub";

    /// <summary>Name of the embedded result store component.</summary>
    public const string StoreName = "asya-embedded-state";

    /// <summary>File of the embedded database inside the data directory.</summary>
    public const string DatabaseFileName = "asya.db";

    /// <summary>Table of the embedded result store.</summary>
    public const string ResultsTable = "asya_results";

    /// <summary>Data directory when none is configured.</summary>
    public const string DefaultDataDirectory = ".asya";

    /// <summary>The database file inside <paramref name="dataDirectory"/>, as a full path.</summary>
    public static string DatabasePath(string dataDirectory) => Path.GetFullPath(Path.Combine(dataDirectory, DatabaseFileName));

    /// <summary>The embedded <c>pubsub.sqlite</c> transport over the database of <paramref name="dataDirectory"/>.</summary>
    public static ComponentSpec Transport(string dataDirectory) =>
        ComponentSpec.Create(TransportName, "pubsub.sqlite", ("connectionString", DatabasePath(dataDirectory)));

    /// <summary>The embedded <c>state.sqlite</c> result store over the database of <paramref name="dataDirectory"/>.</summary>
    public static ComponentSpec ResultStore(string dataDirectory) =>
        ComponentSpec.Create(StoreName, "state.sqlite", ("connectionString", DatabasePath(dataDirectory)), ("tableName", ResultsTable));
}
