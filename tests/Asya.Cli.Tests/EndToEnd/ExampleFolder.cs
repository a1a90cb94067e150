using Asya.Testing;

namespace Asya.Cli.Tests.EndToEnd;

/// <summary>A private copy of an example, so concurrent runs never share a database or socket folder.</summary>
internal sealed class ExampleFolder : IDisposable
{
    private readonly TempDirectory _dir = new();

    public ExampleFolder(string example)
    {
        Path = _dir.Combine(example);
        Directory.CreateDirectory(Path);
        foreach (var file in Directory.EnumerateFiles(System.IO.Path.Combine(RepoPaths.Root, "examples", example)))
        {
            File.Copy(file, System.IO.Path.Combine(Path, System.IO.Path.GetFileName(file)));
        }
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose() => _dir.Dispose();
}
