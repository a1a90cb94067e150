using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Asya.Deploy.Tests;

/// <summary>
/// The chart's gateway against kustomize's. Without a helm binary, a template section is rendered by putting the
/// default values in for its plain <c>{{ .Values.x }}</c> actions; sections are cut where no other action sits.
/// </summary>
public sealed partial class HelmChartTests
{
    [Fact]
    public void Templates_GatewayArgsPortsAndProbes_MatchKustomizeBase()
    {
        var container = KubeObject.Containers(KubeObject.PodSpec(Kustomize.Render("base").Single(o => KubeObject.Id(o) == "Deployment/asya-gateway"))!).Single();
        var helm = Section("gateway-deployment.yaml", "          args:", "          env:");
        var ports = Section("gateway-deployment.yaml", "          ports:", "          resources:");

        Assert.Equal(Canonical(container["args"]), Canonical(helm["args"]));
        Assert.Equal(Canonical(container["ports"]), Canonical(ports["ports"]));
        Assert.Equal(Canonical(container["readinessProbe"]), Canonical(ports["readinessProbe"]));
        Assert.Equal(Canonical(container["livenessProbe"]), Canonical(ports["livenessProbe"]));
        Assert.Equal(Canonical(container["volumeMounts"]), Canonical(Section("gateway-deployment.yaml", "          volumeMounts:", "      volumes:")["volumeMounts"]));
    }

    [Fact]
    public void Templates_GatewayServicePorts_MatchKustomizeBase()
    {
        var service = Kustomize.Render("base").Single(o => KubeObject.Id(o) == "Service/asya-gateway");

        Assert.Equal(Canonical(service["spec"]!["ports"]), Canonical(Section("gateway-service.yaml", "  ports:", "{{- end }}")["ports"]));
    }

    [Fact]
    public void Templates_GatewayNetworkPolicyAndRole_MatchKustomizeProduction()
    {
        var objects = Kustomize.Render("overlays/production");
        var policy = objects.Single(o => KubeObject.Id(o) == "NetworkPolicy/asya-gateway");
        var role = objects.Single(o => KubeObject.Id(o) == "Role/asya-gateway");

        Assert.Equal(Canonical(policy["spec"]!["ingress"]), Canonical(Section("gateway-network-policy.yaml", "  ingress:", "{{- end }}")["ingress"]));
        Assert.Equal(Canonical(role["rules"]), Canonical(Section("gateway-rbac.yaml", "rules:", "---")["rules"]));
    }

    [Fact]
    public void Templates_OperatorGatewayUrl_IsTheGatewayServiceMeshUrl()
    {
        var operatorUrl = """printf "http://asya-gateway.%s.svc:%v" .Values.namespaces.apps .Values.gateway.meshPort""";
        var meshUrl = "--mesh-url=http://asya-gateway.{{ .Values.namespaces.apps }}.svc:{{ .Values.gateway.meshPort }}";

        Assert.Contains(operatorUrl, HelmChart.Templates["operator-deployment.yaml"], StringComparison.Ordinal);
        Assert.Contains(meshUrl, HelmChart.Templates["gateway-deployment.yaml"], StringComparison.Ordinal);
        Assert.Equal("--mesh-url=http://asya-gateway.asya-apps.svc:8081", Render(meshUrl));
    }

    /// <summary>The YAML of <paramref name="file"/> from the line starting <paramref name="from"/> up to the one starting <paramref name="to"/>, values put in, unindented.</summary>
    private static JsonObject Section(string file, string from, string to)
    {
        var text = HelmChart.Templates[file];
        var start = text.IndexOf("\n" + from, StringComparison.Ordinal) + 1;
        var end = text.IndexOf("\n" + to, start, StringComparison.Ordinal) + 1;
        Assert.True(start > 0 && end > start, $"{file}: no section from '{from}' to '{to}'");
        var indent = from.Length - from.TrimStart().Length;
        var lines = Render(text[start..end]).Split('\n').Select(l => l.Length >= indent ? l[indent..] : l.TrimStart());
        return YamlDocuments.Parse(string.Join('\n', lines), $"{file} ({from.Trim()})")[0];
    }

    /// <summary>Puts the default values in for each <c>{{ .Values.a.b }}</c>; any other action is left and fails the parse.</summary>
    private static string Render(string template)
    {
        var values = HelmChart.Values;
        return ValuesAction().Replace(template, m =>
        {
            JsonNode? node = values;
            foreach (var part in m.Groups[1].Value.Split('.'))
            {
                node = node?[part];
            }

            Assert.True(node is JsonValue, $"{m.Value} is not a scalar of values.yaml");
            return YamlDocuments.Text(node) ?? node!.ToJsonString();
        });
    }

    [GeneratedRegex(@"\{\{\s*\.Values\.([A-Za-z0-9_.]+)\s*\}\}")]
    private static partial Regex ValuesAction();
}
