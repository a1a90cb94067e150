using System.Text.Json.Nodes;

namespace Asya.Deploy.Tests;

/// <summary>The gateway as kustomize renders it: base (one replica on SQLite) and production (two on PostgreSQL).</summary>
public sealed class GatewayKustomizeTests
{
    private const string Namespace = "asya-apps";

    private static JsonObject Get(IReadOnlyList<JsonObject> objects, string id) => objects.Single(o => KubeObject.Id(o) == id);

    private static JsonObject Container(JsonObject deployment) => KubeObject.Containers(KubeObject.PodSpec(deployment)!).Single();

    private static List<string?> Args(JsonObject deployment) => [.. Container(deployment)["args"]!.AsArray().Select(YamlDocuments.Text)];

    private static string? Arg(JsonObject deployment, string flag) =>
        Args(deployment).SingleOrDefault(a => a!.StartsWith(flag + "=", StringComparison.Ordinal))?[(flag.Length + 1)..];

    private static JsonObject? Env(JsonObject container, string name) =>
        container["env"]?.AsArray().OfType<JsonObject>().SingleOrDefault(e => YamlDocuments.Text(e["name"]) == name);

    private static Dictionary<string, int> ServicePorts(JsonObject service) =>
        service["spec"]!["ports"]!.AsArray().ToDictionary(p => YamlDocuments.Text(p!["name"])!, p => p!["port"]!.GetValue<int>());

    /// <summary>The mount path of the volume of <paramref name="deployment"/>'s container that <paramref name="source"/> selects.</summary>
    private static string MountOf(JsonObject deployment, Func<JsonObject, bool> source)
    {
        var volume = KubeObject.PodSpec(deployment)!["volumes"]!.AsArray().OfType<JsonObject>().Single(source);
        var name = YamlDocuments.Text(volume["name"]);
        return YamlDocuments.Text(Container(deployment)["volumeMounts"]!.AsArray().Single(m => YamlDocuments.Text(m!["name"]) == name)!["mountPath"])!;
    }

    [Fact]
    public void Render_Base_GatewayServesApiAndMeshPortsProbedWithoutAKey()
    {
        var objects = Kustomize.Render("base");
        var service = Get(objects, "Service/asya-gateway");
        var deployment = Get(objects, "Deployment/asya-gateway");
        var container = Container(deployment);

        Assert.All(new[] { service, deployment }, o => Assert.Equal(Namespace, KubeObject.Namespace(o)));
        Assert.Equal(new Dictionary<string, int> { ["api"] = 8080, ["mesh"] = 8081 }, ServicePorts(service));
        Assert.Equal(["api", "mesh"], service["spec"]!["ports"]!.AsArray().Select(p => YamlDocuments.Text(p!["targetPort"])));
        var containerPorts = container["ports"]!.AsArray().ToDictionary(p => YamlDocuments.Text(p!["name"])!, p => p!["containerPort"]!.GetValue<int>());
        Assert.Equal(new Dictionary<string, int> { ["api"] = 8080, ["mesh"] = 8081 }, containerPorts);
        Assert.Equal(":8080", Arg(deployment, "--api-addr"));
        Assert.Equal(":8081", Arg(deployment, "--mesh-addr"));
        Assert.Equal(Namespace, Arg(deployment, "--namespace"));
        // Probes on the api port: the gateway leaves /readyz and /healthz open, and the mesh port may be closed to kubelet.
        Assert.Equal(("/readyz", "api"), (YamlDocuments.Text(container["readinessProbe"]!["httpGet"]!["path"]), YamlDocuments.Text(container["readinessProbe"]!["httpGet"]!["port"])));
        Assert.Equal(("/healthz", "api"), (YamlDocuments.Text(container["livenessProbe"]!["httpGet"]!["path"]), YamlDocuments.Text(container["livenessProbe"]!["httpGet"]!["port"])));
    }

    [Fact]
    public void Render_Base_GatewayOneReplicaOnSqliteInAnEmptyDirWithoutApiAccess()
    {
        var objects = Kustomize.Render("base");
        var deployment = Get(objects, "Deployment/asya-gateway");

        Assert.Equal(1, deployment["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("Recreate", YamlDocuments.Text(deployment["spec"]!["strategy"]!["type"]));
        Assert.Null(Env(Container(deployment), "ASYA_GATEWAY_TASK_STORE"));
        Assert.Equal(Arg(deployment, "--data-dir"), MountOf(deployment, v => v["emptyDir"] is not null && YamlDocuments.Text(v["name"]) == "data"));
        Assert.False(Get(objects, "ServiceAccount/asya-gateway")["automountServiceAccountToken"]!.GetValue<bool>());
        Assert.False(KubeObject.PodSpec(deployment)!["automountServiceAccountToken"]!.GetValue<bool>());
        Assert.DoesNotContain(objects, o => KubeObject.Kind(o) is "RoleBinding" or "ClusterRoleBinding"
            && o["subjects"]!.AsArray().Any(s => YamlDocuments.Text(s!["name"]) == "asya-gateway"));
    }

    [Fact]
    public void Render_Base_GatewayReadsComponentsFlowsAndApiKeyFromTheirObjects()
    {
        var objects = Kustomize.Render("base");
        var deployment = Get(objects, "Deployment/asya-gateway");

        Assert.Equal(Arg(deployment, "--resources-path"), MountOf(deployment, v => YamlDocuments.Text(v["secret"]?["secretName"]) == "asya-gateway-components"));
        Assert.Equal(Arg(deployment, "--flows"), MountOf(deployment, v => YamlDocuments.Text(v["configMap"]?["name"]) == "asya-gateway-flows"));
        Assert.Contains("flows:", YamlDocuments.Text(Get(objects, "ConfigMap/asya-gateway-flows")["data"]!["flows.yaml"]), StringComparison.Ordinal);
        Assert.Contains("transport.yaml", Get(objects, "Secret/asya-gateway-components")["stringData"]!.AsObject().Select(p => p.Key));
        var apiKey = Env(Container(deployment), "ASYA_GATEWAY_API_KEY")!["valueFrom"]!["secretKeyRef"]!;
        Assert.Equal(("asya-gateway-api-key", "api-key"), (YamlDocuments.Text(apiKey["name"]), YamlDocuments.Text(apiKey["key"])));
    }

    [Theory]
    [InlineData("base")]
    [InlineData("overlays/dev")]
    [InlineData("overlays/production")]
    public void Render_OperatorGatewayUrl_IsTheGatewayServiceMeshPortAndItsMeshUrl(string folder)
    {
        var objects = Kustomize.Render(folder);
        var url = YamlDocuments.Text(Env(Container(Get(objects, "Deployment/asya-operator")), "ASYA_GATEWAY_URL")!["value"]);
        var service = Get(objects, "Service/asya-gateway");

        Assert.Equal($"http://{KubeObject.Name(service)}.{KubeObject.Namespace(service)}.svc:{ServicePorts(service)["mesh"]}", url);
        Assert.Equal(url, Arg(Get(objects, "Deployment/asya-gateway"), "--mesh-url"));
    }

    [Fact]
    public void Render_Dev_GatewayApiKeySecretIsRendered()
    {
        var secret = Get(Kustomize.Render("overlays/dev"), "Secret/asya-gateway-api-key");

        Assert.Equal(Namespace, KubeObject.Namespace(secret));
        Assert.NotNull(secret["data"]!["api-key"]);
    }

    [Fact]
    public void Render_Production_GatewayTwoReplicasRollingOnPostgreSqlFromASecret()
    {
        var objects = Kustomize.Render("overlays/production");
        var deployment = Get(objects, "Deployment/asya-gateway");
        var components = Get(objects, "Secret/asya-gateway-components")["stringData"]!.AsObject()
            .SelectMany(p => YamlDocuments.Parse(YamlDocuments.Text(p.Value)!, p.Key))
            .ToDictionary(c => YamlDocuments.Text(c["metadata"]!["name"])!);

        Assert.Equal(2, deployment["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("RollingUpdate", YamlDocuments.Text(deployment["spec"]!["strategy"]!["type"]));
        Assert.NotNull(Get(objects, "PodDisruptionBudget/asya-gateway"));
        // The task store the gateway is told to use is a state.postgresql component of its resources path …
        var store = components[YamlDocuments.Text(Env(Container(deployment), "ASYA_GATEWAY_TASK_STORE")!["value"])!];
        Assert.Equal("state.postgresql", YamlDocuments.Text(store["spec"]!["type"]));
        // … whose connection string comes from a Secret through a secretstores.kubernetes component beside it …
        var connection = store["spec"]!["metadata"]!.AsArray().Single(m => YamlDocuments.Text(m!["name"]) == "connectionString")!;
        var secretName = YamlDocuments.Text(connection["secretKeyRef"]!["name"]);
        Assert.Null(connection["value"]);
        Assert.Equal("secretstores.kubernetes", YamlDocuments.Text(components[YamlDocuments.Text(store["auth"]!["secretStore"])!]["spec"]!["type"]));
        // … which the gateway's token may get, and nothing else.
        Assert.True(KubeObject.PodSpec(deployment)!["automountServiceAccountToken"]!.GetValue<bool>());
        Assert.True(Get(objects, "ServiceAccount/asya-gateway")["automountServiceAccountToken"]!.GetValue<bool>());
        var rule = Assert.Single(Get(objects, "Role/asya-gateway")["rules"]!.AsArray())!;
        Assert.Equal([secretName], rule["resourceNames"]!.AsArray().Select(YamlDocuments.Text));
        Assert.Equal(["get"], rule["verbs"]!.AsArray().Select(YamlDocuments.Text));
        var binding = Get(objects, "RoleBinding/asya-gateway");
        Assert.Equal("asya-gateway", YamlDocuments.Text(binding["roleRef"]!["name"]));
        Assert.Equal(("asya-gateway", Namespace), (YamlDocuments.Text(binding["subjects"]![0]!["name"]), YamlDocuments.Text(binding["subjects"]![0]!["namespace"])));
    }

    [Fact]
    public void Render_Production_GatewayMeshPortOnlyFromTheOperatorsPodsApiPortOpen()
    {
        var objects = Kustomize.Render("overlays/production");
        var policy = Get(objects, "NetworkPolicy/asya-gateway");
        var ports = ServicePorts(Get(objects, "Service/asya-gateway"));

        Assert.Equal(Namespace, KubeObject.Namespace(policy));
        Assert.Equal("asya-gateway", YamlDocuments.Text(policy["spec"]!["podSelector"]!["matchLabels"]!["app.kubernetes.io/name"]));
        var rules = policy["spec"]!["ingress"]!.AsArray().OfType<JsonObject>().ToDictionary(r => r["ports"]!.AsArray().Single()!["port"]!.GetValue<int>());
        Assert.Equal([ports["api"], ports["mesh"]], rules.Keys.Order());
        // The mesh port: pods of this namespace that the operator made (actors and crew carry managed-by=asya-operator).
        var from = Assert.Single(rules[ports["mesh"]]["from"]!.AsArray())!;
        Assert.Null(from["namespaceSelector"]);
        Assert.Equal("asya-operator", YamlDocuments.Text(from["podSelector"]!["matchLabels"]!["app.kubernetes.io/managed-by"]));
        Assert.Null(rules[ports["api"]]["from"]);
    }
}
