using Asya.Cli.Cli;
using Asya.Cli.Folder;
using Asya.Testing;

namespace Asya.Cli.Tests.Folder;

public sealed class MeshFolderLoaderTests
{
    [Fact]
    public void Load_TextPipelineExample_ReadsManifestsInFileOrderAndRoute()
    {
        var mesh = MeshFolderLoader.Load(System.IO.Path.Combine(RepoPaths.Root, "examples", "text-pipeline"));

        Assert.Equal(["judge", "review", "store", "validate"], mesh.Actors.Select(a => a.Name));
        Assert.Equal(["validate", "judge"], mesh.DefaultRoute);
        Assert.Equal("default", mesh.Namespace);
        Assert.Empty(mesh.ResourcesPaths);
        Assert.Equal("judge.handle", mesh.Find("judge")!.Handler);
        Assert.Contains(new KeyValuePair<string, string>("JUDGE_THRESHOLD", "0.6"), mesh.Find("judge")!.Env);
        Assert.Equal("30s", mesh.Find("judge")!.ActorTimeout);
    }

    [Fact]
    public void Load_RetryExample_PassesResiliencyAsJson()
    {
        var mesh = MeshFolderLoader.Load(System.IO.Path.Combine(RepoPaths.Root, "examples", "retry"));

        var flaky = Assert.Single(mesh.Actors);
        Assert.Equal("""{"backend":{"maxAttempts":3,"backoff":"constant","initialDelay":"200ms"}}""", flaky.ResiliencyPolicies);
        Assert.Equal("""[{"errors":["ConnectionError"],"policy":"backend"}]""", flaky.ResiliencyRules);
        Assert.Equal("30s", flaky.ActorTimeout);
    }

    [Fact]
    public void Load_PlainHandlerFiles_ActorNamedAfterFile()
    {
        using var folder = new FolderBuilder()
            .Handler("foo_bar")
            .Handler("summarize", "summarize")
            .File("common.py", "HELPER = 1\n")
            .File("_private.py", "def handle(p):\n    return p\n");

        var mesh = MeshFolderLoader.Load(folder.Path);

        Assert.Equal(["foo-bar", "summarize"], mesh.Actors.Select(a => a.Name));
        Assert.Equal("foo_bar.handle", mesh.Find("foo-bar")!.Handler);
        Assert.Equal("summarize.summarize", mesh.Find("summarize")!.Handler);
        Assert.Contains(mesh.Notes, n => n.Contains("common.py", StringComparison.Ordinal) && n.Contains("helper module", StringComparison.Ordinal));
        Assert.Equal(["foo-bar", "summarize"], mesh.DefaultRoute);
    }

    [Fact]
    public void Load_AsyncHandleFunction_IsFound()
    {
        using var folder = new FolderBuilder().File("fetch.py", "import asyncio\n\nasync def handle(payload):\n    return payload\n");

        var mesh = MeshFolderLoader.Load(folder.Path);

        Assert.Equal("fetch.handle", Assert.Single(mesh.Actors).Handler);
    }

    [Fact]
    public void Load_ModuleNamedByManifest_IsNotAlsoAPlainActor()
    {
        using var folder = new FolderBuilder().Handler("steps", "first").Actor("first", "steps.first");

        var mesh = MeshFolderLoader.Load(folder.Path);

        Assert.Equal("first", Assert.Single(mesh.Actors).Name);
    }

    [Fact]
    public void Load_HandlerWithoutDot_ErrorNamesFileAndField()
    {
        using var folder = new FolderBuilder().Handler("judge").Actor("judge", "judge");

        var ex = Assert.Throws<CliException>(() => MeshFolderLoader.Load(folder.Path));

        Assert.Equal(ExitCodes.Usage, ex.ExitCode);
        Assert.Equal($"{folder.Path}/judge.yaml: spec.handler: 'judge' must be module.function or module.Class.method", ex.Message);
    }

    [Fact]
    public void Load_HandlerModuleMissing_ErrorNamesModule()
    {
        using var folder = new FolderBuilder().Actor("judge", "nowhere.handle");

        var ex = Assert.Throws<CliException>(() => MeshFolderLoader.Load(folder.Path));

        Assert.Contains("judge.yaml: spec.handler: module 'nowhere' not found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidActorName_ErrorNamesField()
    {
        using var folder = new FolderBuilder().Handler("a").Actor("Bad_Name", "a.handle");

        var ex = Assert.Throws<CliException>(() => MeshFolderLoader.Load(folder.Path));

        Assert.Contains("Bad_Name.yaml: metadata.name: 'Bad_Name' is not a valid actor name", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WrongApiVersion_ErrorNamesField()
    {
        using var folder = new FolderBuilder().Handler("a").File("a.yaml", "apiVersion: asya.sh/v9\nkind: AsyncActor\nmetadata: {name: a}\nspec: {handler: a.handle}\n");

        var ex = Assert.Throws<CliException>(() => MeshFolderLoader.Load(folder.Path));

        Assert.Contains("a.yaml: apiVersion: 'asya.sh/v9' is not supported", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadConcurrency_ErrorNamesField()
    {
        using var folder = new FolderBuilder().Handler("a").Actor("a", "a.handle", "  concurrency: 0");

        var ex = Assert.Throws<CliException>(() => MeshFolderLoader.Load(folder.Path));

        Assert.Contains("a.yaml: spec.concurrency: 0 must be an integer between 1 and 1024", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadActorTimeout_ErrorNamesField()
    {
        using var folder = new FolderBuilder().Handler("a").Actor("a", "a.handle", "  resiliency:\n    actorTimeout: soon");

        var ex = Assert.Throws<CliException>(() => MeshFolderLoader.Load(folder.Path));

        Assert.Contains("a.yaml: spec.resiliency.actorTimeout", ex.Message, StringComparison.Ordinal);
        Assert.Contains("soon", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadRetryPolicy_ErrorNamesFileAndPolicyField()
    {
        using var folder = new FolderBuilder().Handler("a").Actor("a", "a.handle", "  resiliency:\n    policies:\n      default: {maxAttempts: 3, backoff: sometimes}");

        var ex = Assert.Throws<CliException>(() => MeshFolderLoader.Load(folder.Path));

        Assert.Contains("a.yaml: spec.resiliency.policies", ex.Message, StringComparison.Ordinal);
        Assert.Contains("backoff", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EnvValueFrom_ErrorNamesItem()
    {
        using var folder = new FolderBuilder().Handler("a").Actor("a", "a.handle", "  env:\n    - name: X\n      valueFrom: {secretKeyRef: {name: s, key: k}}");

        var ex = Assert.Throws<CliException>(() => MeshFolderLoader.Load(folder.Path));

        Assert.Contains("a.yaml: spec.env[0].valueFrom: is not supported locally", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SecondDocumentBad_ErrorNamesDocument()
    {
        using var folder = new FolderBuilder().Handler("a").File("all.yaml", """
            apiVersion: asya.sh/v1alpha1
            kind: AsyncActor
            metadata: {name: a}
            spec: {handler: a.handle}
            ---
            apiVersion: asya.sh/v1alpha1
            kind: AsyncActor
            metadata: {name: b}
            spec: {}
            """);

        var ex = Assert.Throws<CliException>(() => MeshFolderLoader.Load(folder.Path));

        Assert.Contains("all.yaml (document 2): spec.handler: is required", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DuplicateActor_ErrorNamesBothFiles()
    {
        using var folder = new FolderBuilder().Handler("a").Actor("a", "a.handle").File("b.yaml", "apiVersion: asya.sh/v1alpha1\nkind: AsyncActor\nmetadata: {name: x}\nspec: {actor: a, handler: a.handle}\n");

        var ex = Assert.Throws<CliException>(() => MeshFolderLoader.Load(folder.Path));

        Assert.Contains("b.yaml: actor 'a' is also defined in", ex.Message, StringComparison.Ordinal);
        Assert.Contains("a.yaml", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RouteNamesUnknownActor_ErrorNamesAsyaYamlIndex()
    {
        using var folder = new FolderBuilder().Handler("a").File("asya.yaml", "route: [a, ghost]\n");

        var ex = Assert.Throws<CliException>(() => MeshFolderLoader.Load(folder.Path));

        Assert.Contains("asya.yaml: route[1]: 'ghost' is not an actor of this folder (actors: a)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AsyaYamlUnknownKey_ErrorListsKnownKeys()
    {
        using var folder = new FolderBuilder().Handler("a").File("asya.yaml", "rout: [a]\n");

        var ex = Assert.Throws<CliException>(() => MeshFolderLoader.Load(folder.Path));

        Assert.Contains("asya.yaml: unknown key 'rout' (known: namespace, route, flows)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AsyaYamlNamespace_IsUsed()
    {
        using var folder = new FolderBuilder().Handler("a").File("asya.yaml", "namespace: team-a\n");

        Assert.Equal("team-a", MeshFolderLoader.Load(folder.Path).Namespace);
    }

    [Fact]
    public void Load_InvalidYaml_ErrorNamesFileAndLine()
    {
        using var folder = new FolderBuilder().Handler("a").File("a.yaml", "kind: AsyncActor\nspec: [unclosed\n");

        var ex = Assert.Throws<CliException>(() => MeshFolderLoader.Load(folder.Path));

        Assert.Matches(@"a\.yaml:\d+: invalid YAML", ex.Message);
    }

    [Fact]
    public void Load_ComponentManifest_FolderBecomesResourcesPath()
    {
        using var folder = new FolderBuilder().Handler("a").File("transport.yaml", """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata: {name: mesh}
            spec:
              type: pubsub.sqlite
              version: v1
              metadata:
                - {name: connectionString, value: /tmp/x.db}
            """);

        var mesh = MeshFolderLoader.Load(folder.Path);

        Assert.Equal([folder.Path], mesh.ResourcesPaths);
        Assert.Equal("a", Assert.Single(mesh.Actors).Name);
    }

    [Fact]
    public void Load_DaprResiliencyOnly_FolderBecomesResourcesPath()
    {
        using var folder = new FolderBuilder().Handler("a").File("resiliency.yaml", "apiVersion: dapr.io/v1alpha1\nkind: Resiliency\nmetadata: {name: r}\nspec: {}\n");

        Assert.Equal([folder.Path], MeshFolderLoader.Load(folder.Path).ResourcesPaths);
    }

    [Theory]
    [InlineData("x-sink", "")]
    [InlineData("x-pause", ", stateStore: checkpoints")]
    [InlineData("x-resume", "")]
    public void Load_CrewManifest_IsSkipped(string role, string extra)
    {
        using var folder = new FolderBuilder().Handler("a").File(
            "crew.yaml", $"apiVersion: asya.sh/v1alpha1\nkind: AsyncActor\nmetadata: {{name: {role}}}\nspec: {{builtin: {role}{extra}}}\n");

        Assert.Equal("a", Assert.Single(MeshFolderLoader.Load(folder.Path).Actors).Name);
    }

    [Theory]
    [InlineData("x-sink")]
    [InlineData("x-pause")]
    [InlineData("x-resume")]
    public void Load_HandlerActorNamedLikeTheCrew_ErrorNamingTheField(string name)
    {
        using var folder = new FolderBuilder().Handler("a").File(
            "actor.yaml", $"apiVersion: asya.sh/v1alpha1\nkind: AsyncActor\nmetadata: {{name: review}}\nspec: {{actor: {name}, handler: a.handle}}\n");

        var ex = Assert.Throws<CliException>(() => MeshFolderLoader.Load(folder.Path));

        Assert.Contains("spec.actor", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"'{name}' is a crew actor name", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoActors_Error()
    {
        using var folder = new FolderBuilder().File("notes.py", "X = 1\n");

        var ex = Assert.Throws<CliException>(() => MeshFolderLoader.Load(folder.Path));

        Assert.Contains("no actors found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFolder_Error()
    {
        var ex = Assert.Throws<CliException>(() => MeshFolderLoader.Load("/nonexistent/asya-folder"));

        Assert.Equal("/nonexistent/asya-folder: no such folder", ex.Message);
    }

    [Fact]
    public void ParseRoute_CrewActor_IsRejected()
    {
        using var folder = new FolderBuilder().Handler("a");
        var mesh = MeshFolderLoader.Load(folder.Path);

        var ex = Assert.Throws<CliException>(() => MeshFolderLoader.ParseRoute("a,x-sink", mesh));

        Assert.Contains("'x-sink' is a crew actor", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("spec:\n  handler: a.handle\n  resilency: {}\n", "spec.resilency: unknown field; did you mean resiliency?")]
    [InlineData("spec:\n  handler: a.handle\n  concurency: 2\n", "spec.concurency: unknown field; did you mean concurrency?")]
    [InlineData("spec:\n  handler: a.handle\n  resiliency:\n    actorTimout: 5s\n", "spec.resiliency.actorTimout: unknown field; did you mean actorTimeout?")]
    [InlineData("spec:\n  handler: a.handle\n  resiliency:\n    policies:\n      p: {maxAttempt: 3}\n", "spec.resiliency.policies.p.maxAttempt: unknown field; did you mean maxAttempts?")]
    [InlineData("spec:\n  handler: a.handle\n  resiliency:\n    policies: {p: {}}\n    rules:\n      - {errors: [E], polcy: p}\n", "spec.resiliency.rules[0].polcy: unknown field; did you mean policy?")]
    [InlineData("spec:\n  handler: a.handle\n  env:\n    - {name: A, valeu: b}\n", "spec.env[0].valeu: unknown field; did you mean value?")]
    [InlineData("spec:\n  handler: a.handle\n  scaling: {maxReplicaCont: 3}\n", "spec.scaling.maxReplicaCont: unknown field; did you mean maxReplicaCount?")]
    [InlineData("spec:\n  handler: a.handle\nsepc: {}\n", "sepc: unknown field; did you mean spec?")]
    public void Load_UnknownAsyncActorField_ErrorNamesFilePathAndNearestField(string body, string expected)
    {
        using var folder = new FolderBuilder().Handler("a").File("a.yaml", "apiVersion: asya.sh/v1alpha1\nkind: AsyncActor\nmetadata:\n  name: a\n" + body);

        var ex = Assert.Throws<CliException>(() => MeshFolderLoader.Load(folder.Path));

        Assert.Equal(ExitCodes.Usage, ex.ExitCode);
        Assert.StartsWith(System.IO.Path.Combine(folder.Path, "a.yaml") + ": " + expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownMetadataField_ErrorNamesNearestObjectMetaField()
    {
        using var folder = new FolderBuilder().Handler("a").File("a.yaml", "apiVersion: asya.sh/v1alpha1\nkind: AsyncActor\nmetadata:\n  name: a\n  lables: {x: y}\nspec:\n  handler: a.handle\n");

        var ex = Assert.Throws<CliException>(() => MeshFolderLoader.Load(folder.Path));

        Assert.Contains("metadata.lables: unknown field; did you mean labels?", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EveryClusterFieldOfTheCrd_Accepted()
    {
        using var folder = new FolderBuilder().Handler("a").File("a.yaml", """
            apiVersion: asya.sh/v1alpha1
            kind: AsyncActor
            metadata: {name: a, namespace: team, labels: {app: a}, annotations: {note: x}}
            spec:
              actor: a
              handler: a.handle
              image: python:3.12-slim
              imagePullPolicy: IfNotPresent
              pythonExecutable: python3
              replicas: 1
              env: [{name: A, value: b}, {name: S, valueFrom: {secretKeyRef: {name: s, key: k}}}]
              resources: {limits: {cpu: "1", memory: 512Mi}, requests: {cpu: 100m}}
              nodeSelector: {disk: ssd}
              tolerations: [{key: k, operator: Exists, effect: NoSchedule}]
              volumes: [{name: data, emptyDir: {medium: Memory}}]
              volumeMounts: [{name: data, mountPath: /data, readOnly: true}]
              scaling: {enabled: true, minReplicaCount: 0, maxReplicaCount: 3, queueLength: 5, countInFlight: true}
              sidecar: {imagePullPolicy: Always, env: [{name: ASYA_LOG_LEVEL, value: debug}]}
              stateProxy: [{name: cache, mount: /state, component: store, writeMode: buffered}]
            """);

        var ex = Assert.Throws<CliException>(() => MeshFolderLoader.Load(folder.Path));

        // Only the local-run check of valueFrom remains; no field is unknown.
        Assert.Contains("spec.env[1].valueFrom: is not supported locally", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ForClusterHandlerModuleOnlyInImage_NoteInsteadOfError()
    {
        using var folder = new FolderBuilder().File("a.yaml", "apiVersion: asya.sh/v1alpha1\nkind: AsyncActor\nmetadata:\n  name: a\nspec:\n  handler: model.serve\n  image: registry/model:1\n");

        var local = Assert.Throws<CliException>(() => MeshFolderLoader.Load(folder.Path));
        var mesh = MeshFolderLoader.Load(folder.Path, forCluster: true);

        Assert.Contains("module 'model' not found in the folder", local.Message, StringComparison.Ordinal);
        Assert.Contains(mesh.Notes, n => n.Contains("spec.handler: module 'model' is not in the folder; image registry/model:1 must contain it", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ForClusterHandlerModuleMissingWithoutImage_StillAnError()
    {
        using var folder = new FolderBuilder().File("a.yaml", "apiVersion: asya.sh/v1alpha1\nkind: AsyncActor\nmetadata:\n  name: a\nspec:\n  handler: model.serve\n");

        var ex = Assert.Throws<CliException>(() => MeshFolderLoader.Load(folder.Path, forCluster: true));

        Assert.Contains("module 'model' not found in the folder", ex.Message, StringComparison.Ordinal);
    }
}
