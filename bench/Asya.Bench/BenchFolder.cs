namespace Asya.Bench;

/// <summary>A temp folder with the no-op handler module, a socket directory and a data directory.</summary>
internal sealed class BenchFolder : IDisposable
{
    public const string Handler = "bench_noop.handle";

    public BenchFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "asya-bench-" + Guid.NewGuid().ToString("N")[..8]);
        HandlerDirectory = Path.Combine(Root, "handlers");
        SocketDirectory = Path.Combine(Root, "sock");
        DataDirectory = Path.Combine(Root, "data");
        ComponentsDirectory = Path.Combine(Root, "components");
        Directory.CreateDirectory(HandlerDirectory);
        Directory.CreateDirectory(ComponentsDirectory);
        Directory.CreateDirectory(SocketDirectory);
        Directory.CreateDirectory(DataDirectory);
        File.WriteAllText(Path.Combine(HandlerDirectory, "bench_noop.py"), "def handle(payload):\n    return payload\n");
    }

    public string Root { get; }

    public string HandlerDirectory { get; }

    public string SocketDirectory { get; }

    public string DataDirectory { get; }

    public string ComponentsDirectory { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "asya.db");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
