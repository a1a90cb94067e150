using System.Text.Json.Nodes;
using Asya.Testing;

namespace Asya.Deploy.Tests;

public sealed class ExamplesTests
{
    private static readonly string[] ScalerKeys =
        ["scalerAddress", "enableTLS", "unsafeSsl", "actor", "namespace", "component", "targetQueueLength", "activationQueueLength", "countInFlight"];

    public static TheoryData<string> AsyncActorFiles()
    {
        var data = new TheoryData<string>();
        // examples/text-pipeline is the pipeline `asya manifests` turns into cluster objects; other local examples may
        // leave out image (asya up ignores it), which a cluster rejects.
        foreach (var folder in new[] { Path.Combine("deploy", "examples"), Path.Combine("examples", "text-pipeline") })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, folder), "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                if (File.ReadAllText(file).Contains("kind: AsyncActor", StringComparison.Ordinal))
                {
                    data.Add(Path.GetRelativePath(RepoPaths.Root, file));
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AsyncActorFiles))]
    public void Validate_ExampleAsyncActor_MatchesTheCrd(string file)
    {
        var actors = YamlDocuments.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, file)), file).Where(o => KubeObject.Kind(o) == "AsyncActor").ToList();

        Assert.NotEmpty(actors);
        foreach (var actor in actors)
        {
            var problems = SchemaValidator.Problems(actor);
            Assert.True(problems.Count == 0, $"{file}: {KubeObject.Id(actor)}: {string.Join("; ", problems)}");
        }
    }

    [Fact]
    public void ScaledObjects_CoverBothTriggerTypesWithTheScalerMetadata()
    {
        var triggers = ScaledObjects().SelectMany(o => o["spec"]!["triggers"]!.AsArray().OfType<JsonObject>()).ToList();

        Assert.Contains(triggers, t => YamlDocuments.Text(t["type"]) == "external");
        Assert.Contains(triggers, t => YamlDocuments.Text(t["type"]) == "external-push");
        foreach (var trigger in triggers)
        {
            var metadata = (JsonObject)trigger["metadata"]!;
            Assert.All(metadata, p => Assert.Contains(p.Key, ScalerKeys));
            Assert.All(metadata, p => Assert.True(p.Value is JsonValue v && v.TryGetValue<string>(out _), $"trigger metadata {p.Key} must be a string"));
            Assert.Equal("asya-external-scaler.asya-system.svc:9090", YamlDocuments.Text(metadata["scalerAddress"]));
            Assert.False(string.IsNullOrEmpty(YamlDocuments.Text(metadata["actor"])));
            Assert.True(int.Parse(YamlDocuments.Text(metadata["targetQueueLength"])!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        }
    }

    [Fact]
    public void ScaledObjects_TargetTheActorDeploymentWithValidBounds()
    {
        foreach (var so in ScaledObjects())
        {
            var spec = so["spec"]!;
            Assert.Equal(KubeObject.Name(so), YamlDocuments.Text(spec["scaleTargetRef"]!["name"]));
            Assert.True(spec["minReplicaCount"]!.GetValue<int>() <= spec["maxReplicaCount"]!.GetValue<int>(), KubeObject.Id(so));
            Assert.False(string.IsNullOrEmpty(KubeObject.Namespace(so)));
        }
    }

    private static List<JsonObject> ScaledObjects() =>
        [.. Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "deploy", "examples"), "scaledobject-*.yaml")
            .SelectMany(f => YamlDocuments.Parse(File.ReadAllText(f), f))
            .Where(o => KubeObject.Kind(o) == "ScaledObject")];
}
