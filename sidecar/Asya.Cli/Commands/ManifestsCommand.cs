using System.Text.Json.Nodes;
using Asya.Cli.Cli;
using Asya.Cli.Folder;
using Asya.Cli.Mesh;
using Asya.Components;
using Asya.Operator.Building;
using Asya.Operator.Model;
using Asya.Operator;

namespace Asya.Cli.Commands;

/// <summary>
/// <c>asya manifests &lt;folder&gt;</c>: prints the Kubernetes objects the operator would make for the folder's actors
/// (same builders), so <c>asya manifests dir | kubectl apply -f -</c> runs the mesh on a cluster without the operator.
/// </summary>
internal static class ManifestsCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken)
    {
        var reader = new ArgReader("manifests", args);
        if (reader.Positionals.Count != 1)
        {
            throw CliException.Usage(reader.Positionals.Count == 0
                ? "asya manifests: missing <folder> (see asya manifests --help)"
                : $"asya manifests: expected 1 argument, got: {string.Join(" ", reader.Positionals)}");
        }

        var embed = reader.Has("--embed-code");
        var image = reader.Get("--image") ?? (embed ? "python:3.12-slim" : null);
        var source = FolderManifestSource.Load(reader.Positionals[0], image);
        CommonOptions.WriteNotes(source.Mesh, context.Stderr);
        var ns = reader.Get("--namespace") ?? source.Mesh.Namespace;
        if (!Asya.Runtime.Protocol.ActorNames.IsValid(ns))
        {
            throw CliException.Usage($"--namespace: '{ns}' is not a DNS label");
        }

        var components = source.Components.ToList();
        List<string> paths = [.. source.Mesh.ResourcesPaths];
        if (reader.Get(CommonOptions.ResourcesPathOption) is { } extra)
        {
            components.AddRange(ExtraComponents(extra));
            paths.AddRange(CommonOptions.ResourcesPaths(extra));
        }

        // The same check as 'asya components check' per actor: a manifest the sidecars would refuse is not rendered.
        foreach (var warning in await ManifestValidation.CheckFolderAsync(
            source.Mesh with { Namespace = ns }, paths, allowEmbedded: false, context.Env, cancellationToken))
        {
            context.Stderr.WriteLine($"asya: warning: {warning}");
        }

        if (!components.Any(c => ComponentTypes.IsTransport(ComponentsRenderer.TypeOf(c))))
        {
            // The embedded SQLite of 'asya up' is one file on one machine; pods need a shared broker.
            var host = reader.Values.Get("redis-host")!;
            context.Stderr.WriteLine($"asya: note: the folder has no transport Component; the manifests use pubsub.redis at {host} (--redis-host, or add a Component manifest)");
            components.Add(Redis("mesh", "pubsub.redis", host));
        }

        if (source.Mesh.UsesPause && !components.Any(c => ComponentTypes.CategoryOf(ComponentsRenderer.TypeOf(c)) == ComponentTypes.State))
        {
            // x-pause and x-resume run in two pods: the checkpoints need a store both reach.
            var host = reader.Values.Get("redis-host")!;
            context.Stderr.WriteLine($"asya: note: a flow pauses and the folder has no state Component; x-pause and x-resume keep checkpoints in state.redis at {host} (--redis-host, or add a Component manifest)");
            components.Add(Redis("checkpoints", "state.redis", host));
        }

        var defaults = new OperatorSettings();
        var settings = defaults with
        {
            SidecarImage = reader.Get("--sidecar-image") ?? defaults.SidecarImage,
            ScalerService = reader.Get("--scaler-service") ?? defaults.ScalerService,
            ScalerNamespace = reader.Get("--scaler-namespace") ?? defaults.ScalerNamespace,
            GatewayUrl = reader.Values.GetHttpUrl("gateway-url"),
        };

        IReadOnlyList<JsonObject> objects;
        try
        {
            objects = FolderManifests.Build(ns, [.. source.Actors.Select(a => a.Document)], components, settings, source.Mesh.UsesPause);
        }
        catch (Exception ex) when (ex is ActorSpecException or ComponentMissingException)
        {
            throw CliException.Config($"{reader.Positionals[0]}: {ex.Message}");
        }

        if (embed)
        {
            objects = CodeEmbedding.Apply(objects, source.Mesh.Root, ns);
        }

        context.Stdout.Write(FolderManifests.ToYaml(objects));
        return ExitCodes.Ok;
    }

    // Like 'asya up --resources-path': a team's existing Component manifests, without copying them into the folder.
    private static IEnumerable<JsonObject> ExtraComponents(string text)
    {
        foreach (var folder in text.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Directory.Exists(folder))
            {
                throw CliException.Config($"{CommonOptions.ResourcesPathOption}: {folder}: no such folder");
            }

            var files = Directory.EnumerateFiles(folder, "*.yaml").Concat(Directory.EnumerateFiles(folder, "*.yml")).Order(StringComparer.Ordinal);
            foreach (var path in files)
            {
                foreach (var document in YamlFiles.Read(path, path))
                {
                    if (document.Root is JsonObject obj && obj["kind"] is JsonValue kind && kind.ToString() == "Component")
                    {
                        yield return obj;
                    }
                }
            }
        }
    }

    private static JsonObject Redis(string name, string type, string host) => new()
    {
        ["apiVersion"] = "dapr.io/v1alpha1",
        ["kind"] = "Component",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["type"] = type,
            ["version"] = "v1",
            ["metadata"] = new JsonArray(new JsonObject { ["name"] = "redisHost", ["value"] = host }),
        },
    };
}
