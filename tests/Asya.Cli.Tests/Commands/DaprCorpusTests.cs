using Asya.Cli.Cli;
using Asya.Cli.Commands;
using Asya.Testing;

namespace Asya.Cli.Tests.Commands;

/// <summary>
/// Manifests written the way Dapr's docs pages, quickstarts, samples and components-contrib test configs write them
/// (<c>tests/Asya.Cli.Tests/DaprCorpus</c>, one folder per source), each checked by <c>asya components check</c>. The
/// header comments of a folder's files say which source it models and what the check must say: <c># check:</c> extra
/// arguments, <c># env: NAME=value</c>, <c># expect: warning|error text</c>, <c># expect-exit: 1</c>. Every warning and
/// error printed must be an expected one, and every expected one must be printed.
/// </summary>
public sealed class DaprCorpusTests
{
    private static readonly string Corpus = Path.Combine(RepoPaths.Root, "tests", "Asya.Cli.Tests", "DaprCorpus");

    public static TheoryData<string> Cases() => [.. Directory.GetDirectories(Corpus).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal)];

    [Fact]
    public void Corpus_HasAtLeastFortyManifests_EachNamingTheSourceItModels()
    {
        var files = Directory.GetFiles(Corpus, "*.yaml", SearchOption.AllDirectories);

        Assert.True(files.Length >= 40, $"{files.Length} manifests");
        Assert.All(files, f => Assert.StartsWith("# Models: ", File.ReadAllText(f), StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ComponentsCheck_CorpusCase_SaysExactlyWhatIsExpected(string name)
    {
        var folder = Path.Combine(Corpus, name);
        var headers = Directory.GetFiles(folder, "*.yaml").Order(StringComparer.Ordinal)
            .SelectMany(File.ReadLines)
            .Where(l => l.StartsWith("# ", StringComparison.Ordinal))
            .Select(l => l[2..])
            .ToList();
        foreach (var env in Values(headers, "env: "))
        {
            var eq = env.IndexOf('=', StringComparison.Ordinal);
            Environment.SetEnvironmentVariable(env[..eq], env[(eq + 1)..]);
        }

        string[] args = ["components", "check", "--resources-path", folder, .. Values(headers, "check: ").SelectMany(a => a.Split(' ', StringSplitOptions.RemoveEmptyEntries))];
        var expected = Values(headers, "expect: ").ToList();
        var exit = Values(headers, "expect-exit: ").Select(int.Parse).DefaultIfEmpty(ExitCodes.Ok).Single();

        var stdout = new StringWriter();
        var code = await CliApp.RunAsync(args, new CommandContext(stdout, new StringWriter(), Environment.GetEnvironmentVariable, TimeProvider.System), CancellationToken.None);

        var output = stdout.ToString();
        // (kind, text): "warning: …" lines (component warnings are indented), "error: …" lines and error rows.
        var said = output.Split('\n')
            .Select(l => l.Trim())
            .Select(l => l.StartsWith("warning: ", StringComparison.Ordinal) ? ("warning", l["warning: ".Length..])
                : l.IndexOf("error: ", StringComparison.Ordinal) is var at and >= 0 ? ("error", l[(at + "error: ".Length)..])
                : default)
            .Where(s => s.Item1 is not null)
            .ToList();
        var wanted = expected.Select(e => (Kind: e[..e.IndexOf(' ', StringComparison.Ordinal)], Text: e[(e.IndexOf(' ', StringComparison.Ordinal) + 1)..])).ToList();
        Assert.True(code == exit, $"exit {code}, expected {exit}:\n{output}");
        foreach (var (kind, text) in said)
        {
            Assert.True(wanted.Any(w => w.Kind == kind && text.Contains(w.Text, StringComparison.Ordinal)), $"unexpected {kind}: {text}\n{output}");
        }

        foreach (var (kind, text) in wanted)
        {
            Assert.True(said.Any(s => s.Item1 == kind && s.Item2.Contains(text, StringComparison.Ordinal)), $"missing {kind}: {text}\n{output}");
        }
    }

    private static IEnumerable<string> Values(IEnumerable<string> headers, string prefix) =>
        headers.Where(h => h.StartsWith(prefix, StringComparison.Ordinal)).Select(h => h[prefix.Length..].Trim());
}
