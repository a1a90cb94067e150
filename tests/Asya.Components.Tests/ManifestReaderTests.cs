using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Testing;

namespace Asya.Components.Tests;

public sealed class ManifestReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Read_MultiDocumentFile_ReturnsEveryDocumentWithLines()
    {
        Write("all.yaml", """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: one
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Resiliency
            metadata:
              name: two
              namespace: prod
            """);

        var set = ManifestReader.Read([_dir.Path]);

        Assert.Empty(set.Diagnostics);
        Assert.Collection(
            set.Documents,
            d =>
            {
                Assert.Equal(("Component", "one", 1), (d.Kind, d.Name, d.Line));
                Assert.Equal("dapr.io/v1alpha1", d.ApiVersion);
            },
            d =>
            {
                Assert.Equal(("Resiliency", "two", "prod", 6), (d.Kind, d.Name, d.Namespace, d.Line));
                Assert.Equal(_dir.Combine("all.yaml"), d.SourceFile);
            });
    }

    [Fact]
    public void Read_BrokenDocument_ReportsFileAndLineAndLoadsTheOthers()
    {
        Write("mixed.yaml", """
            kind: Component
            metadata: {name: first}
            ---
            kind: Component
            metadata:
              name: [broken
            ---
            kind: Component
            metadata: {name: third}
            """);

        var set = ManifestReader.Read([_dir.Path]);

        Assert.Equal(["first", "third"], set.Documents.Select(d => d.Name));
        var error = Assert.Single(set.Diagnostics);
        Assert.Equal(ManifestSeverity.Error, error.Severity);
        Assert.Equal(_dir.Combine("mixed.yaml"), error.SourceFile);
        Assert.InRange(error.Line, 5, 7);
        Assert.StartsWith(_dir.Combine("mixed.yaml") + ":", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DocumentThatIsNotAMapping_IsAnError()
    {
        Write("list.yaml", "- a\n- b\n");

        var set = ManifestReader.Read([_dir.Path]);

        Assert.Empty(set.Documents);
        Assert.Contains("not a mapping", Assert.Single(set.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DuplicateKey_IsAnErrorWithLine()
    {
        Write("dup.yaml", "kind: Component\nkind: Other\n");

        var set = ManifestReader.Read([_dir.Path]);

        Assert.Empty(set.Documents);
        var error = Assert.Single(set.Diagnostics);
        Assert.Equal(2, error.Line);
        Assert.Contains("kind", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Folder_ReadsYamlFilesInLexicalOrderAndIgnoresOthers()
    {
        Write("b.yaml", "kind: B");
        Write("a.YML", "kind: A");
        Write("C.yaml", "kind: C");
        Write("notes.md", "kind: Markdown");
        Write("values.json", "{\"kind\": \"Json\"}");
        Write("notes.txt", "kind: Text");
        Directory.CreateDirectory(_dir.Combine("sub"));
        File.WriteAllText(_dir.Combine("sub", "nested.yaml"), "kind: Nested");

        var set = ManifestReader.Read([_dir.Path]);

        Assert.Equal(["C", "A", "B"], set.Documents.Select(d => d.Kind));
        // Markdown and JSON (a secretsFile) commonly sit beside manifests; anything else gets daprd's warning.
        var diagnostic = Assert.Single(set.Diagnostics);
        Assert.Equal((ManifestSeverity.Warning, _dir.Combine("notes.txt")), (diagnostic.Severity, diagnostic.SourceFile));
    }

    [Fact]
    public void Read_SingleFilePathAndSeveralPaths_ReadInGivenOrder()
    {
        var file = Write("one.yaml", "kind: One");
        using var other = new TempDirectory();
        File.WriteAllText(other.Combine("x.yaml"), "kind: Two");

        var set = ManifestReader.Read([other.Path, file]);

        Assert.Equal(["Two", "One"], set.Documents.Select(d => d.Kind));
    }

    [Fact]
    public void Read_MissingPath_IsAnErrorDiagnostic()
    {
        var set = ManifestReader.Read([_dir.Combine("nope")]);

        Assert.Equal(ManifestSeverity.Error, Assert.Single(set.Diagnostics).Severity);
    }

    [Fact]
    public void Parse_Scalars_FollowYamlCoreSchemaAndKeepQuotedStrings()
    {
        var set = YamlJson.Parse("""
            quoted: "10"
            single: 'true'
            int: 10
            float: 1.50
            yes: true
            no: False
            nil: null
            tilde: ~
            empty:
            word: yes
            hex: 0x1F
            plus: +5
            text: hello world
            block: |
              10
            tagged: !!str 42
            version: 1.2.3
            """, "mem.yaml");

        var body = Assert.Single(set.Documents).Body;
        Assert.Equal(JsonValueKind.String, body["quoted"]!.GetValueKind());
        Assert.Equal(JsonValueKind.String, body["single"]!.GetValueKind());
        Assert.Equal("10", body["int"]!.ToJsonString());
        Assert.Equal("1.50", body["float"]!.ToJsonString());
        Assert.Equal(JsonValueKind.True, body["yes"]!.GetValueKind());
        Assert.Equal(JsonValueKind.False, body["no"]!.GetValueKind());
        Assert.Null(body["nil"]);
        Assert.True(body.ContainsKey("tilde") && body["tilde"] is null);
        Assert.Null(body["empty"]);
        Assert.Equal("yes", body["word"]!.GetValue<string>());
        Assert.Equal(31, body["hex"]!.GetValue<long>());
        Assert.Equal(5, body["plus"]!.GetValue<long>());
        Assert.Equal("hello world", body["text"]!.GetValue<string>());
        Assert.Equal("10\n", body["block"]!.GetValue<string>());
        Assert.Equal("42", body["tagged"]!.GetValue<string>());
        Assert.Equal("1.2.3", body["version"]!.GetValue<string>());
    }

    [Fact]
    public void Parse_NestedStructures_BecomeJsonObjectsAndArrays()
    {
        var set = YamlJson.Parse("a:\n  b: [1, two, {c: d}]\n", "mem.yaml");

        var body = Assert.Single(set.Documents).Body;
        Assert.Equal("""{"a":{"b":[1,"two",{"c":"d"}]}}""", body.ToJsonString());
        Assert.Equal(string.Empty, set.Documents[0].ApiVersion);
        Assert.IsType<JsonArray>(body["a"]!["b"]);
    }

    [Fact]
    public void Parse_MetadataNotAMapping_HasNoNameButLoads()
    {
        var set = YamlJson.Parse("kind: Component\nmetadata: just-text\n", "mem.yaml");

        var doc = Assert.Single(set.Documents);
        Assert.Null(doc.Name);
        Assert.Equal("mem.yaml:1", doc.Location);
    }

    [Fact]
    public void Parse_NonJsonNumberSpellings_BecomeOrdinaryJsonNumbers()
    {
        var body = YamlJson.Parse("a: +3\nb: 0o17\nc: 1.\nd: .5\ne: .inf\n", "mem.yaml").Documents[0].Body;

        Assert.Equal((3, 15), (body["a"]!.GetValue<int>(), body["b"]!.GetValue<int>()));
        Assert.Equal((1.0, 0.5), (body["c"]!.GetValue<double>(), body["d"]!.GetValue<double>()));
        Assert.Equal(".inf", body["e"]!.GetValue<string>());
    }

    [Fact]
    public void Parse_EmptyAndCommentOnlyDocuments_AreSkipped()
    {
        var set = YamlJson.Parse("# nothing\n---\n---\nkind: X\n---\n# trailing\n", "mem.yaml");

        Assert.Equal("X", Assert.Single(set.Documents).Kind);
        Assert.Equal(4, set.Documents[0].Line);
        Assert.Empty(set.Diagnostics);
    }

    private string Write(string name, string text)
    {
        var path = _dir.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }
}
