using Asya.Testing;

namespace Asya.Deploy.Tests;

/// <summary>The AsyncActor examples under deploy/crds/examples/{valid,invalid}; invalid ones start with "# expect: text".</summary>
internal static class ExampleManifests
{
    public static string Folder { get; } = Path.Combine(RepoPaths.Root, "deploy", "crds", "examples");

    public static TheoryData<string> Valid() => Names("valid");

    public static TheoryData<string> Invalid() => Names("invalid");

    public static string PathOf(string kind, string name) => Path.Combine(Folder, kind, name);

    public static string Expectation(string path)
    {
        var first = File.ReadLines(path).First();
        const string Prefix = "# expect: ";
        return first.StartsWith(Prefix, StringComparison.Ordinal)
            ? first[Prefix.Length..].Trim()
            : throw new InvalidOperationException($"{path}: the first line must be '# expect: <text the error must contain>'");
    }

    private static TheoryData<string> Names(string kind)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Folder, kind), "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }
}
