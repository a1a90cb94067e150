using System.Diagnostics;
using System.Text.Json.Nodes;
using Asya.Operator.Building;
using Asya.Testing;
using k8s;
using k8s.Models;

namespace Asya.Operator.Tests.Manifests;

public sealed class FolderManifestsTests
{
    private static readonly Dictionary<string, Type> KedaTypes = new() { ["keda.sh/v1alpha1/ScaledObject"] = typeof(KedaScaledObject) };

    [Fact]
    public async Task AsyaManifests_TextPipeline_ParsesAsKubernetesObjectsWithSidecarInjected()
    {
        var (exitCode, stdout, stderr) = await RunAsyaAsync("manifests", Path.Combine(RepoPaths.Root, "examples", "text-pipeline"));

        Assert.True(exitCode == 0, stderr);
        var objects = KubernetesYaml.LoadAllFromString(stdout, KedaTypes);
        var deployments = objects.OfType<V1Deployment>().ToList();
        Assert.Equal(["judge", "review", "store", "validate", "x-sink", "x-sump"], deployments.Select(d => d.Metadata.Name).Order(StringComparer.Ordinal));
        Assert.All(deployments, d => Assert.Contains(d.Spec.Template.Spec.Containers, c => c.Name == "asya-sidecar"));
        var judge = deployments.Single(d => d.Metadata.Name == "judge");
        var runtime = judge.Spec.Template.Spec.Containers.Single(c => c.Name == "asya-runtime");
        Assert.Equal("python:3.11-slim", runtime.Image);
        Assert.Contains(runtime.Env, e => e.Name == "JUDGE_THRESHOLD" && e.Value == "0.6");
        Assert.Contains(judge.Spec.Template.Spec.Containers.Single(c => c.Name == "asya-sidecar").Env, e => e.Name == "ASYA_RESILIENCY_ACTOR_TIMEOUT" && e.Value == "30s");
        Assert.Equal(6, objects.OfType<KedaScaledObject>().Count());
        Assert.Equal(6, objects.OfType<V1Secret>().Count(s => s.Metadata.Name.EndsWith("-components", StringComparison.Ordinal)));
        var runtimeMap = objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == "asya-runtime");
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "runtime", "python", "asya_runtime.py")), runtimeMap.Data["asya_runtime.py"]);
        Assert.All(objects.Cast<IKubernetesObject<V1ObjectMeta>>(), o => Assert.Equal("default", o.Metadata.NamespaceProperty));
        Assert.Contains("pubsub.redis", stderr);
    }

    [Fact]
    public async Task AsyaManifests_FolderThatPauses_PauseCrewOnOneCheckpointStore()
    {
        var (exitCode, stdout, stderr) = await RunAsyaAsync("manifests", Path.Combine(RepoPaths.Root, "examples", "human-review"), "--embed-code");

        Assert.True(exitCode == 0, stderr);
        Assert.Contains("x-pause and x-resume keep checkpoints in state.redis at redis:6379", stderr);
        var objects = KubernetesYaml.LoadAllFromString(stdout, KedaTypes);
        var deployments = objects.OfType<V1Deployment>().ToDictionary(d => d.Metadata.Name);
        Assert.Equal(["draft", "publish", "x-pause", "x-resume", "x-sink", "x-sump"], deployments.Keys.Order(StringComparer.Ordinal));
        foreach (var role in new[] { "x-pause", "x-resume" })
        {
            var sidecar = Assert.Single(deployments[role].Spec.Template.Spec.Containers);
            Assert.Contains(sidecar.Env, e => e.Name == "ASYA_BUILTIN" && e.Value == role);
            Assert.Contains(sidecar.Env, e => e.Name == "ASYA_RESULT_STORE" && e.Value == "checkpoints");
            Assert.Contains("state.redis", objects.OfType<V1Secret>().Single(x => x.Metadata.Name == $"asya-{role}-components").StringData["checkpoints.yaml"]);
        }

        Assert.DoesNotContain(deployments["x-sink"].Spec.Template.Spec.Containers.Single().Env, e => e.Name == "ASYA_RESULT_STORE");
    }

    [Fact]
    public async Task AsyaManifests_EmbedCode_MountsTheFolderHandlers()
    {
        var (exitCode, stdout, stderr) = await RunAsyaAsync("manifests", Path.Combine(RepoPaths.Root, "examples", "text-pipeline"), "--embed-code", "--namespace", "nlp");

        Assert.True(exitCode == 0, stderr);
        var objects = KubernetesYaml.LoadAllFromString(stdout, KedaTypes);
        var code = objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == "asya-code");
        Assert.Contains("judge.py", code.Data.Keys);
        var runtime = objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == "judge").Spec.Template.Spec.Containers.Single(c => c.Name == "asya-runtime");
        Assert.Equal("/opt/asya/code", runtime.WorkingDir);
        Assert.Contains(runtime.VolumeMounts, m => m.Name == "asya-code");
        Assert.All(objects.Cast<IKubernetesObject<V1ObjectMeta>>(), o => Assert.Equal("nlp", o.Metadata.NamespaceProperty));
    }

    [Fact]
    public async Task AsyaManifests_ResourcesPath_TransportComponentFromThere()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("components"));
        await File.WriteAllTextAsync(temp.Combine("components", "bus.yaml"), """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata: {name: team-bus}
            spec:
              type: pubsub.redis
              version: v1
              metadata:
                - {name: redisHost, value: "redis.shared:6379"}
            """);

        var (exitCode, stdout, stderr) = await RunAsyaAsync(
            "manifests", Path.Combine(RepoPaths.Root, "examples", "text-pipeline"), "--resources-path", temp.Combine("components"));

        Assert.True(exitCode == 0, stderr);
        var objects = KubernetesYaml.LoadAllFromString(stdout, KedaTypes);
        var secret = objects.OfType<V1Secret>().Single(s => s.Metadata.Name == "asya-judge-components");
        Assert.Contains("redis.shared:6379", secret.StringData["team-bus.yaml"]);
        Assert.DoesNotContain("pubsub.redis at", stderr);
    }

    [Fact]
    public async Task AsyaManifests_HandlerFileWithoutImage_UsageErrorNamesFlag()
    {
        using var temp = new TempDirectory();
        await File.WriteAllTextAsync(temp.Combine("echo.py"), "def handle(payload):\n    return payload\n");

        var (exitCode, _, stderr) = await RunAsyaAsync("manifests", temp.Path);

        Assert.Equal(2, exitCode);
        Assert.Contains("spec.image: not set; give --image", stderr);
    }

    [Fact]
    public void Build_FolderComponents_UsedAndCrewAdded()
    {
        var actor = JsonNode.Parse("""{"apiVersion": "asya.sh/v1alpha1", "kind": "AsyncActor", "metadata": {"name": "echo"}, "spec": {"image": "img", "handler": "echo.handle"}}""")!.AsObject();
        var component = JsonNode.Parse("""{"apiVersion": "dapr.io/v1alpha1", "kind": "Component", "metadata": {"name": "bus"}, "spec": {"type": "pubsub.sqlite", "version": "v1"}}""")!.AsObject();

        var objects = FolderManifests.Build("team-a", [actor], [component], new OperatorSettings());

        var names = objects.Where(o => o["kind"]!.GetValue<string>() == "Deployment").Select(o => o["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(["echo", "x-sink", "x-sump"], names);
        Assert.All(objects, o => Assert.Null(o["metadata"]!["ownerReferences"]));
        var yaml = FolderManifests.ToYaml(objects);
        Assert.Equal(objects.Count, KubernetesYaml.LoadAllFromString(yaml, KedaTypes).Count);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsyaAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "asya.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
