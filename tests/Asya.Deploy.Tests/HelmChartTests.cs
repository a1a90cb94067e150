using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Asya.Deploy.Tests;

public sealed partial class HelmChartTests
{
    [Fact]
    public void Chart_ChartYaml_IsAV2ApplicationChart()
    {
        var chart = YamlDocuments.ParseSingle(Path.Combine(HelmChart.Root, "Chart.yaml"));

        Assert.Equal("v2", YamlDocuments.Text(chart["apiVersion"]));
        Assert.Equal("asya", YamlDocuments.Text(chart["name"]));
        Assert.Matches(@"^\d+\.\d+\.\d+$", YamlDocuments.Text(chart["version"]));
        Assert.False(string.IsNullOrEmpty(YamlDocuments.Text(chart["appVersion"])));
    }

    [Fact]
    public void Chart_Values_HaveImagesNamespacesTlsResourcesAndCrewSwitch()
    {
        var values = HelmChart.Values;

        foreach (var image in new[] { "operator", "externalScaler", "sidecar" })
        {
            var entry = values["images"]![image]!;
            Assert.NotNull(entry["repository"]);
            Assert.NotNull(entry["tag"]);
            Assert.NotNull(entry["pullPolicy"]);
        }

        Assert.Equal("asya-system", YamlDocuments.Text(values["namespaces"]!["system"]));
        Assert.NotNull(values["externalScaler"]!["tls"]!["secretName"]);
        Assert.NotNull(values["externalScaler"]!["tls"]!["clientCA"]);
        Assert.NotNull(values["operator"]!["resources"]!["limits"]);
        Assert.NotNull(values["externalScaler"]!["resources"]!["limits"]);
        Assert.NotNull(values["crew"]!["resources"]!["limits"]);
        Assert.True(values["crew"]!["enabled"]!.GetValue<bool>());
    }

    [Fact]
    public void Crew_PauseSwitch_OffByDefaultAddsPauseAndResumeOnTheStateStore()
    {
        var pause = HelmChart.Values["crew"]!["pause"]!;
        var template = HelmChart.Templates["crew.yaml"];

        Assert.False(pause["enabled"]!.GetValue<bool>());
        Assert.Equal("asya-checkpoints", YamlDocuments.Text(pause["stateStore"]));
        Assert.Contains("{{- if .Values.crew.pause.enabled }}", template, StringComparison.Ordinal);
        Assert.Contains("(list \"x-pause\" \"x-resume\")", template, StringComparison.Ordinal);
        Assert.Contains("stateStore: {{ $.Values.crew.pause.stateStore }}", template, StringComparison.Ordinal);
    }

    [Fact]
    public void Templates_EveryValuesReference_ExistsInValuesYaml()
    {
        var values = HelmChart.Values;
        var missing = HelmChart.ValuesReferences()
            .Where(r => !Exists(values, r.Path))
            .Select(r => $"{r.File}: .Values.{r.Path}")
            .Distinct()
            .ToList();

        Assert.True(missing.Count == 0, "not in values.yaml: " + string.Join(", ", missing));
    }

    [Fact]
    public void Templates_EveryValue_IsUsed()
    {
        var used = HelmChart.ValuesReferences().Select(r => r.Path).ToHashSet(StringComparer.Ordinal);
        var unused = Leaves(HelmChart.Values, string.Empty)
            .Where(leaf => !used.Any(u => leaf == u || leaf.StartsWith(u + ".", StringComparison.Ordinal)))
            .ToList();

        Assert.True(unused.Count == 0, "values.yaml keys no template uses: " + string.Join(", ", unused));
    }

    [Fact]
    public void Templates_EveryKustomizeKind_HasATemplate()
    {
        var kinds = new[] { "base", "overlays/production" }
            .SelectMany(Kustomize.Render)
            .Select(KubeObject.Kind)
            .Where(k => k != "CustomResourceDefinition")
            .ToHashSet(StringComparer.Ordinal);
        var templated = HelmChart.Templates.Values
            .SelectMany(t => KindLine().Matches(t).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Empty(kinds.Except(templated));
    }

    [Fact]
    public void Templates_KustomizeObjectNames_AreTheSame()
    {
        var names = Kustomize.Render("overlays/production")
            .Where(o => KubeObject.Kind(o) is not ("CustomResourceDefinition" or "Namespace" or "AsyncActor"))
            .Select(KubeObject.Name)
            .ToHashSet(StringComparer.Ordinal);
        var text = string.Concat(HelmChart.Templates.Values) + File.ReadAllText(Path.Combine(HelmChart.Root, "values.yaml"));

        Assert.All(names, name => Assert.Contains(name, text, StringComparison.Ordinal));
    }

    [Fact]
    public void Chart_Crd_IsTheSameFileAsDeployCrds()
    {
        var chartCrd = File.ReadAllText(Path.Combine(HelmChart.Root, "crds", "asya.sh_asyncactors.yaml"));

        Assert.True(chartCrd == File.ReadAllText(Crd.Path), "deploy/helm/asya/crds/asya.sh_asyncactors.yaml differs from deploy/crds: copy it again");
    }

    [Fact]
    public void Templates_OperatorProbes_MatchKustomize()
    {
        var deployment = Kustomize.Render("base").Single(o => KubeObject.Id(o) == "Deployment/asya-operator");
        var container = KubeObject.Containers(KubeObject.PodSpec(deployment)!).Single();
        var template = HelmChart.Templates["operator-deployment.yaml"];
        var probesText = template[template.IndexOf("          readinessProbe:", StringComparison.Ordinal)..template.IndexOf("          resources:", StringComparison.Ordinal)];
        var helmProbes = YamlDocuments.Parse(probesText, "operator-deployment.yaml")[0];

        Assert.Equal(Canonical(container["readinessProbe"]!), Canonical(helmProbes["readinessProbe"]!));
        Assert.Equal(Canonical(container["livenessProbe"]!), Canonical(helmProbes["livenessProbe"]!));
    }

    [Fact]
    public void Templates_OperatorRules_MatchKustomize()
    {
        var kustomizeRules = Kustomize.Render("base").Single(o => KubeObject.Id(o) == "ClusterRole/asya-operator")["rules"]!;
        var template = HelmChart.Templates["operator-clusterrole.yaml"];
        var rulesText = template[template.IndexOf("rules:", StringComparison.Ordinal)..template.LastIndexOf("{{- end }}", StringComparison.Ordinal)];
        var helmRules = YamlDocuments.Parse(rulesText, "operator-clusterrole.yaml")[0]["rules"]!;

        Assert.Equal(Canonical(kustomizeRules), Canonical(helmRules));
    }

    [Theory]
    [MemberData(nameof(TemplateNames))]
    public void Templates_Blocks_AreBalancedAndIncludesDefined(string name)
    {
        var text = HelmChart.Templates[name];
        var defined = HelmChart.Actions(HelmChart.Templates["_helpers.tpl"])
            .Select(a => DefineName().Match(a))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .ToHashSet(StringComparer.Ordinal);
        var depth = 0;
        foreach (var action in HelmChart.Actions(text))
        {
            if (action.StartsWith("/*", StringComparison.Ordinal))
            {
                continue;
            }

            var word = action.Split(' ', 2)[0];
            if (word is "if" or "range" or "with" or "define" or "block")
            {
                depth++;
            }
            else if (word == "end")
            {
                depth--;
                Assert.True(depth >= 0, $"{name}: 'end' without an open block");
            }

            foreach (Match include in IncludeName().Matches(action))
            {
                Assert.True(defined.Contains(include.Groups[1].Value), $"{name}: include of undefined template {include.Groups[1].Value}");
            }
        }

        Assert.True(depth == 0, $"{name}: {depth} block(s) not closed with end");
        Assert.Equal(Count(text, "{{"), Count(text, "}}"));
    }

    public static TheoryData<string> TemplateNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in HelmChart.Templates.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    // kubectl kustomize sorts keys; compare content, not key order.
    private static string Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => "{" + string.Join(",", obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{Canonical(p.Value)}")) + "}",
        JsonArray array => "[" + string.Join(",", array.Select(Canonical)) + "]",
        _ => node?.ToJsonString() ?? "null",
    };

    private static int Count(string text, string token) => (text.Length - text.Replace(token, string.Empty, StringComparison.Ordinal).Length) / token.Length;

    private static bool Exists(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            if (node is not JsonObject obj || !obj.ContainsKey(part))
            {
                return false;
            }

            node = obj[part];
        }

        return true;
    }

    private static IEnumerable<string> Leaves(JsonNode? node, string prefix) =>
        node is JsonObject obj && obj.Count > 0
            ? obj.SelectMany(p => Leaves(p.Value, prefix.Length == 0 ? p.Key : $"{prefix}.{p.Key}"))
            : [prefix];

    [GeneratedRegex(@"^kind:\s*(\w+)\s*$", RegexOptions.Multiline)]
    private static partial Regex KindLine();

    [GeneratedRegex(@"^define\s+""([^""]+)""")]
    private static partial Regex DefineName();

    [GeneratedRegex(@"include\s+""([^""]+)""")]
    private static partial Regex IncludeName();
}
