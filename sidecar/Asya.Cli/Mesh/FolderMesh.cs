using Asya.Cli.Folder;
using Asya.Mesh.Client;
using Microsoft.Extensions.Logging;

namespace Asya.Cli.Mesh;

/// <summary>The mesh client of a folder: its namespace, manifests and <c>.asya</c> data directory, warnings on stderr.</summary>
internal static class FolderMesh
{
    public static Task<IMeshClient> ConnectAsync(MeshFolder mesh, string? transportName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        return MeshConnector.ConnectAsync(
            new MeshClientOptions
            {
                Namespace = mesh.Namespace,
                ResourcesPaths = mesh.ResourcesPaths,
                DataDirectory = mesh.DataDir,
                AllowEmbeddedDefault = mesh.AllowEmbeddedDefault,
                ConfigureLogging = logging => logging.SetMinimumLevel(LogLevel.Warning).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace),
            },
            transportName,
            cancellationToken);
    }
}
