using System.Text.Json.Nodes;

namespace Asya.Deploy.Tests;

public sealed class CrdSchemaTests
{
    [Theory]
    [MemberData(nameof(ExampleManifests.Valid), MemberType = typeof(ExampleManifests))]
    public void Validate_ValidExample_HasNoProblems(string name)
    {
        var manifest = YamlDocuments.ParseSingle(ExampleManifests.PathOf("valid", name));

        var problems = SchemaValidator.Problems(manifest);

        Assert.True(problems.Count == 0, $"{name}: {string.Join("; ", problems)}");
    }

    [Theory]
    [MemberData(nameof(ExampleManifests.Invalid), MemberType = typeof(ExampleManifests))]
    public void Validate_InvalidExample_ReportsTheExpectedProblem(string name)
    {
        var path = ExampleManifests.PathOf("invalid", name);
        var expected = ExampleManifests.Expectation(path);

        var problems = SchemaValidator.Problems(YamlDocuments.ParseSingle(path));

        Assert.True(problems.Count > 0, $"{name} was accepted");
        Assert.True(problems.Any(p => p.Contains(expected, StringComparison.Ordinal)), $"{name}: expected '{expected}' in: {string.Join("; ", problems)}");
    }

    [Fact]
    public void CelRules_EveryRule_HasATwin()
    {
        var rules = CelRules.All(Crd.Schema).ToList();

        Assert.True(rules.Count >= 9, $"only {rules.Count} CEL rules found");
        Assert.All(rules, r => Assert.True(CelRules.IsTransitionRule(r.Rule) || CelRules.Twins.ContainsKey(r.Rule), $"no C# twin for CEL rule: {r.Rule}"));
        Assert.All(rules, r => Assert.False(string.IsNullOrWhiteSpace(r.Message), $"CEL rule without a message: {r.Rule}"));
    }

    [Fact]
    public void CelRules_ActorName_IsImmutable()
    {
        var actor = (JsonObject)Crd.Schema["properties"]!["spec"]!["properties"]!["actor"]!;

        Assert.Contains(CelRules.All(actor), r => r.Rule == "self == oldSelf");
    }

    [Fact]
    public void Schema_EveryField_HasADescription()
    {
        var missing = new List<string>();
        FindUndescribed((JsonObject)Crd.Schema["properties"]!["spec"]!, "spec", missing);
        FindUndescribed((JsonObject)Crd.Schema["properties"]!["status"]!, "status", missing);

        Assert.True(missing.Count == 0, "fields without description: " + string.Join(", ", missing));
    }

    [Fact]
    public void Crd_Names_FollowTheSpec()
    {
        var spec = Crd.Document["spec"]!;
        var names = spec["names"]!;

        Assert.Equal("asyncactors.asya.sh", YamlDocuments.Text(Crd.Document["metadata"]!["name"]));
        Assert.Equal("asya.sh", YamlDocuments.Text(spec["group"]));
        Assert.Equal("Namespaced", YamlDocuments.Text(spec["scope"]));
        Assert.Equal("AsyncActor", YamlDocuments.Text(names["kind"]));
        Assert.Equal("asyncactors", YamlDocuments.Text(names["plural"]));
        Assert.Equal("asyncactor", YamlDocuments.Text(names["singular"]));
        Assert.Equal(["asya", "asyas"], names["shortNames"]!.AsArray().Select(YamlDocuments.Text));
        Assert.NotNull(Crd.Version["subresources"]?["status"]);
        Assert.True(Crd.Version["served"]!.GetValue<bool>());
        Assert.True(Crd.Version["storage"]!.GetValue<bool>());
    }

    [Fact]
    public void Crd_PrinterColumns_ShowActorStatusReadyReplicasQueueAge()
    {
        var columns = Crd.Version["additionalPrinterColumns"]!.AsArray()
            .Where(c => c!["priority"] is null)
            .Select(c => YamlDocuments.Text(c!["name"]))
            .ToList();

        Assert.Equal(["Actor", "Status", "Ready", "Replicas", "Queue", "Age"], columns);
    }

    [Fact]
    public void Crd_PrinterColumns_PointAtSchemaFields()
    {
        foreach (var column in Crd.Version["additionalPrinterColumns"]!.AsArray())
        {
            var path = YamlDocuments.Text(column!["jsonPath"])!;
            if (path == ".metadata.creationTimestamp")
            {
                continue;
            }

            JsonNode? node = Crd.Schema;
            foreach (var part in path.TrimStart('.').Split('.'))
            {
                node = node?["properties"]?[part];
            }

            Assert.True(node is not null, $"printer column {YamlDocuments.Text(column["name"])}: {path} is not in the schema");
        }
    }

    [Fact]
    public void Schema_Defaults_MatchTheSpec()
    {
        var spec = Crd.Schema["properties"]!["spec"]!["properties"]!;
        var scaling = spec["scaling"]!["properties"]!;

        Assert.True(scaling["enabled"]!["default"]!.GetValue<bool>());
        Assert.Equal(0, scaling["minReplicaCount"]!["default"]!.GetValue<int>());
        Assert.Equal(10, scaling["maxReplicaCount"]!["default"]!.GetValue<int>());
        Assert.Equal(30, scaling["pollingInterval"]!["default"]!.GetValue<int>());
        Assert.Equal(300, scaling["cooldownPeriod"]!["default"]!.GetValue<int>());
        Assert.Equal(5, scaling["queueLength"]!["default"]!.GetValue<int>());
        Assert.Equal(0, scaling["activationQueueLength"]!["default"]!.GetValue<int>());
        Assert.Equal(1, spec["concurrency"]!["default"]!.GetValue<int>());
        Assert.Null(spec["runtime"]!["default"]); // python for user actors, none for the crew: the operator decides
    }

    private static void FindUndescribed(JsonObject schema, string path, List<string> missing)
    {
        if (schema["description"] is null)
        {
            missing.Add(path);
        }

        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (key, child) in properties)
            {
                FindUndescribed((JsonObject)child!, $"{path}.{key}", missing);
            }
        }

        if (schema["items"] is JsonObject items)
        {
            FindUndescribed(items, path + "[]", missing);
        }

        if (schema["additionalProperties"] is JsonObject { } additional && additional["anyOf"] is null && additional["type"]?.ToString() == "object")
        {
            FindUndescribed(additional, path + "{}", missing);
        }
    }
}
