using Asya.Cli.Folder;

namespace Asya.Cli.Mesh;

/// <summary>
/// Opens the transport and result store of a folder the way its sidecars do: the folder's components when it has
/// any, else the embedded SQLite file <c>&lt;folder&gt;/.asya/asya.db</c>.
/// </summary>
internal static class MeshConnector
{
    public const string DatabaseFileName = "asya.db";

    public static Task<IMeshClient> ConnectAsync(MeshFolder mesh, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        throw new NotSupportedException("waiting for the components and embedded branches");
    }
}
