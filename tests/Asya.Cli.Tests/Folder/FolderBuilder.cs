using Asya.Testing;

namespace Asya.Cli.Tests.Folder;

/// <summary>A throw-away folder of manifests and handler files.</summary>
internal sealed class FolderBuilder : IDisposable
{
    private readonly TempDirectory _dir = new();

    public string Path => _dir.Path;

    public FolderBuilder File(string name, string content)
    {
        System.IO.File.WriteAllText(_dir.Combine(name), content.ReplaceLineEndings("\n"));
        return this;
    }

    public FolderBuilder Handler(string module, string function = "handle") =>
        File(module + ".py", $"def {function}(payload):\n    return payload\n");

    public FolderBuilder Actor(string name, string handler, string extraSpec = "") =>
        File(name + ".yaml", $"""
            apiVersion: asya.sh/v1alpha1
            kind: AsyncActor
            metadata:
              name: {name}
            spec:
              handler: {handler}
            {extraSpec}
            """);

    public void Dispose() => _dir.Dispose();
}
