using System.Text.Json.Nodes;

namespace Asya.Deploy.Tests;

public sealed class KustomizeTests
{
    private static readonly string[] Overlays = ["base", "overlays/dev", "overlays/production"];

    [Theory]
    [MemberData(nameof(Kustomize.Folders), MemberType = typeof(Kustomize))]
    public void Render_EveryKustomization_ProducesObjects(string folder)
    {
        var objects = Kustomize.Render(folder);

        Assert.NotEmpty(objects);
        Assert.All(objects, o => Assert.False(string.IsNullOrEmpty(YamlDocuments.Text(o["apiVersion"])), $"{folder}: {KubeObject.Id(o)} has no apiVersion"));
    }

    [Theory]
    [MemberData(nameof(Kustomize.Folders), MemberType = typeof(Kustomize))]
    public void Render_NamespacedObjects_HaveANamespace(string folder)
    {
        var missing = Kustomize.Render(folder)
            .Where(o => !KubeObject.ClusterScoped.Contains(KubeObject.Kind(o)) && string.IsNullOrEmpty(KubeObject.Namespace(o)))
            .Select(KubeObject.Id)
            .ToList();

        Assert.True(missing.Count == 0, $"{folder}: no namespace on {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(Kustomize.Folders), MemberType = typeof(Kustomize))]
    public void Render_EveryObject_HasTheAsyaLabels(string folder)
    {
        var problems = new List<string>();
        foreach (var o in Kustomize.Render(folder))
        {
            if (KubeObject.Label(o, "app.kubernetes.io/name") is null or "")
            {
                problems.Add($"{KubeObject.Id(o)}: app.kubernetes.io/name");
            }

            if (KubeObject.Label(o, "app.kubernetes.io/part-of") != "asya")
            {
                problems.Add($"{KubeObject.Id(o)}: app.kubernetes.io/part-of=asya");
            }

            if (KubeObject.Label(o, "app.kubernetes.io/component") is null or "")
            {
                problems.Add($"{KubeObject.Id(o)}: app.kubernetes.io/component");
            }

            if (KubeObject.PodSpec(o) is not null && o["spec"]?["template"]?["metadata"]?["labels"]?["app.kubernetes.io/part-of"] is null)
            {
                problems.Add($"{KubeObject.Id(o)}: pod template labels");
            }
        }

        Assert.True(problems.Count == 0, $"{folder}: missing labels: {string.Join("; ", problems)}");
    }

    [Theory]
    [MemberData(nameof(Kustomize.Folders), MemberType = typeof(Kustomize))]
    public void Render_EveryContainer_HasRequestsAndLimits(string folder)
    {
        var problems = new List<string>();
        foreach (var o in Kustomize.Render(folder))
        {
            if (KubeObject.PodSpec(o) is { } pod)
            {
                foreach (var c in KubeObject.Containers(pod))
                {
                    problems.AddRange(ResourceProblems(c["resources"], $"{KubeObject.Id(o)} container {YamlDocuments.Text(c["name"])}"));
                }
            }

            if (KubeObject.Kind(o) == "AsyncActor")
            {
                // Crew actors run the sidecar only; a user actor's runtime gets spec.resources.
                problems.AddRange(ResourceProblems(o["spec"]?["sidecar"]?["resources"], $"{KubeObject.Id(o)} spec.sidecar"));
                if (o["spec"]?["builtin"] is null)
                {
                    problems.AddRange(ResourceProblems(o["spec"]?["resources"], $"{KubeObject.Id(o)} spec"));
                }
            }
        }

        Assert.True(problems.Count == 0, $"{folder}: {string.Join("; ", problems)}");
    }

    [Theory]
    [MemberData(nameof(Kustomize.Folders), MemberType = typeof(Kustomize))]
    public void Render_EveryPod_RunsNonRootReadOnlyWithoutCapabilities(string folder)
    {
        var problems = new List<string>();
        foreach (var o in Kustomize.Render(folder))
        {
            if (KubeObject.PodSpec(o) is not { } pod)
            {
                continue;
            }

            var podNonRoot = pod["securityContext"]?["runAsNonRoot"]?.GetValue<bool>() == true;
            foreach (var c in KubeObject.Containers(pod))
            {
                var at = $"{KubeObject.Id(o)} container {YamlDocuments.Text(c["name"])}";
                var sc = c["securityContext"];
                if (!podNonRoot && sc?["runAsNonRoot"]?.GetValue<bool>() != true)
                {
                    problems.Add($"{at}: runAsNonRoot");
                }

                if (sc?["readOnlyRootFilesystem"]?.GetValue<bool>() != true)
                {
                    problems.Add($"{at}: readOnlyRootFilesystem");
                }

                if (sc?["allowPrivilegeEscalation"]?.GetValue<bool>() != false)
                {
                    problems.Add($"{at}: allowPrivilegeEscalation=false");
                }

                if (sc?["capabilities"]?["drop"] is not JsonArray drop || !drop.Any(d => YamlDocuments.Text(d) == "ALL"))
                {
                    problems.Add($"{at}: capabilities.drop [ALL]");
                }

                if (YamlDocuments.Text(c["image"]) is not { } image || image.EndsWith(":latest", StringComparison.Ordinal) || !image.Contains(':', StringComparison.Ordinal))
                {
                    problems.Add($"{at}: image must carry a pinned tag, not latest");
                }
            }
        }

        Assert.True(problems.Count == 0, $"{folder}: {string.Join("; ", problems)}");
    }

    [Theory]
    [MemberData(nameof(Kustomize.Folders), MemberType = typeof(Kustomize))]
    public void Render_Rbac_HasNoWildcards(string folder)
    {
        var problems = new List<string>();
        foreach (var o in Kustomize.Render(folder).Where(o => KubeObject.Kind(o) is "Role" or "ClusterRole"))
        {
            foreach (var rule in o["rules"]!.AsArray())
            {
                foreach (var key in new[] { "apiGroups", "resources", "verbs" })
                {
                    if (rule![key]!.AsArray().Any(v => YamlDocuments.Text(v) == "*"))
                    {
                        problems.Add($"{KubeObject.Id(o)}: '*' in {key}");
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("; ", problems));
    }

    [Fact]
    public void Render_OperatorRole_GrantsWhatTheOperatorNeedsAndNoSecretListing()
    {
        var role = Kustomize.Render("base").Single(o => KubeObject.Id(o) == "ClusterRole/asya-operator");

        Assert.Equal(["get", "list", "watch", "update", "patch"], Verbs(role, "asya.sh", "asyncactors"));
        Assert.Equal(["get", "update", "patch"], Verbs(role, "asya.sh", "asyncactors/status"));
        Assert.Equal(["update"], Verbs(role, "asya.sh", "asyncactors/finalizers"));
        Assert.Contains("create", Verbs(role, "apps", "deployments"));
        Assert.Contains("delete", Verbs(role, "keda.sh", "scaledobjects"));
        Assert.Contains("create", Verbs(role, "rbac.authorization.k8s.io", "roles"));
        Assert.Contains("create", Verbs(role, "", "serviceaccounts"));
        Assert.Contains("create", Verbs(role, "", "configmaps"));
        Assert.Equal(["get", "list", "watch"], Verbs(role, "dapr.io", "components"));
        Assert.Equal(["create", "patch"], Verbs(role, "", "events"));
        var secrets = Verbs(role, "", "secrets");
        Assert.DoesNotContain("list", secrets);
        Assert.DoesNotContain("watch", secrets);

        var lease = Kustomize.Render("base").Single(o => KubeObject.Id(o) == "Role/asya-operator-leader-election");
        Assert.Equal("asya-system", KubeObject.Namespace(lease));
        Assert.Equal(["create"], Verbs(lease, "coordination.k8s.io", "leases"));
        var named = lease["rules"]!.AsArray().Single(r => r!["resourceNames"] is not null)!;
        Assert.Equal(["asya-operator"], named["resourceNames"]!.AsArray().Select(YamlDocuments.Text));
        Assert.Contains("update", named["verbs"]!.AsArray().Select(YamlDocuments.Text));
    }

    [Fact]
    public void Render_ExternalScaler_ServesGrpcAndMetricsWithoutApiAccess()
    {
        var objects = Kustomize.Render("base");
        var service = objects.Single(o => KubeObject.Id(o) == "Service/asya-external-scaler");
        var deployment = objects.Single(o => KubeObject.Id(o) == "Deployment/asya-external-scaler");
        var account = objects.Single(o => KubeObject.Id(o) == "ServiceAccount/asya-external-scaler");

        Assert.Equal("asya-system", KubeObject.Namespace(service));
        var ports = service["spec"]!["ports"]!.AsArray().ToDictionary(p => YamlDocuments.Text(p!["name"])!, p => p!["port"]!.GetValue<int>());
        Assert.Equal(9090, ports["grpc"]);
        Assert.Equal(9091, ports["metrics"]);
        var container = KubeObject.Containers(KubeObject.PodSpec(deployment)!).Single();
        Assert.Equal("/readyz", YamlDocuments.Text(container["readinessProbe"]!["httpGet"]!["path"]));
        Assert.Equal("metrics", YamlDocuments.Text(container["readinessProbe"]!["httpGet"]!["port"]));
        Assert.Contains("--grpc-addr=:9090", container["args"]!.AsArray().Select(YamlDocuments.Text));
        Assert.Contains("--metrics-addr=:9091", container["args"]!.AsArray().Select(YamlDocuments.Text));
        Assert.False(account["automountServiceAccountToken"]!.GetValue<bool>());
        Assert.DoesNotContain(objects, o => KubeObject.Kind(o) is "RoleBinding" or "ClusterRoleBinding"
            && o["subjects"]!.AsArray().Any(s => YamlDocuments.Text(s!["name"]) == "asya-external-scaler"));
    }

    [Fact]
    public void Render_Operator_ProbesItsProbeServer()
    {
        var deployment = Kustomize.Render("base").Single(o => KubeObject.Id(o) == "Deployment/asya-operator");
        var container = KubeObject.Containers(KubeObject.PodSpec(deployment)!).Single();

        Assert.Equal("/readyz", YamlDocuments.Text(container["readinessProbe"]!["httpGet"]!["path"]));
        Assert.Equal("/healthz", YamlDocuments.Text(container["livenessProbe"]!["httpGet"]!["path"]));
        Assert.All(new[] { "readinessProbe", "livenessProbe" }, p => Assert.Equal("metrics", YamlDocuments.Text(container[p]!["httpGet"]!["port"])));
        Assert.Contains(container["ports"]!.AsArray(), p => YamlDocuments.Text(p!["name"]) == "metrics");
    }

    [Fact]
    public void Render_Production_TurnsOnScalerTls()
    {
        var objects = Kustomize.Render("overlays/production");
        var deployment = objects.Single(o => KubeObject.Id(o) == "Deployment/asya-external-scaler");
        var args = KubeObject.Containers(KubeObject.PodSpec(deployment)!).Single()["args"]!.AsArray().Select(YamlDocuments.Text).ToList();

        Assert.Contains("--tls-cert=/etc/asya/tls/tls.crt", args);
        Assert.Contains("--tls-client-ca=/etc/asya/tls/ca.crt", args);
        Assert.Contains(objects, o => KubeObject.Id(o) == "ClusterTriggerAuthentication/asya-external-scaler-tls");
        Assert.Equal(2, deployment["spec"]!["replicas"]!.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(Kustomize.Folders), MemberType = typeof(Kustomize))]
    public void Render_AsyncActors_MatchTheCrdSchema(string folder)
    {
        foreach (var actor in Kustomize.Render(folder).Where(o => KubeObject.Kind(o) == "AsyncActor"))
        {
            var problems = SchemaValidator.Problems(actor);
            Assert.True(problems.Count == 0, $"{folder}: {KubeObject.Id(actor)}: {string.Join("; ", problems)}");
        }
    }

    [Fact]
    public void Render_Crew_IsBuiltinSinkAndSump()
    {
        var crew = Kustomize.Render("base").Where(o => KubeObject.Kind(o) == "AsyncActor").ToDictionary(KubeObject.Name);

        Assert.Equal("x-sink", YamlDocuments.Text(crew["x-sink"]["spec"]!["builtin"]));
        Assert.Equal("x-sump", YamlDocuments.Text(crew["x-sump"]["spec"]!["builtin"]));
    }

    [Fact]
    public void Render_PauseCrew_OptInPauseAndResumeOnOneStateStore()
    {
        var crew = Kustomize.Render("base/crew-pause").Where(o => KubeObject.Kind(o) == "AsyncActor").ToDictionary(KubeObject.Name);

        Assert.Equal(["x-pause", "x-resume"], crew.Keys.Order(StringComparer.Ordinal));
        Assert.All(crew, c => Assert.Equal(c.Key, YamlDocuments.Text(c.Value["spec"]!["builtin"])));
        Assert.Equal("asya-checkpoints", Assert.Single(crew.Values.Select(c => YamlDocuments.Text(c["spec"]!["stateStore"])).Distinct()));
        Assert.DoesNotContain(Kustomize.Render("base"), o => KubeObject.Kind(o) == "AsyncActor" && KubeObject.Name(o) is "x-pause" or "x-resume");
    }

    [Fact]
    public void Overlays_AllRender()
    {
        Assert.All(Overlays, folder => Assert.NotEmpty(Kustomize.Render(folder)));
    }

    private static List<string?> Verbs(JsonObject role, string group, string resource) =>
        [.. role["rules"]!.AsArray()
            .Where(r => r!["apiGroups"]!.AsArray().Any(g => YamlDocuments.Text(g) == group)
                && r["resources"]!.AsArray().Any(x => YamlDocuments.Text(x) == resource)
                && r["resourceNames"] is null)
            .SelectMany(r => r!["verbs"]!.AsArray().Select(YamlDocuments.Text))];

    private static IEnumerable<string> ResourceProblems(JsonNode? resources, string at)
    {
        foreach (var kind in new[] { "requests", "limits" })
        {
            foreach (var key in new[] { "cpu", "memory" })
            {
                if (resources?[kind]?[key] is null)
                {
                    yield return $"{at}: resources.{kind}.{key}";
                }
            }
        }
    }
}
