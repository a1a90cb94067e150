using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Cli.Cli;
using Asya.Runtime.Protocol;

namespace Asya.Cli.Folder;

/// <summary>
/// Turns one <c>AsyncActor</c> document into an <see cref="ActorDefinition"/> for local running: <c>image</c>,
/// <c>scaling</c>, <c>resources</c> and the other cluster-only fields are ignored; <c>handler</c> must name a module
/// of the folder. Errors name the file and the field.
/// </summary>
internal static class AsyncActorReader
{
    public const string ApiVersion = "asya.sh/v1alpha1";
    public const string Kind = "AsyncActor";

    /// <summary>The actor, or <c>null</c> for a crew manifest (<c>spec.builtin</c>), which <c>asya up</c> starts anyway.</summary>
    /// <param name="document">The manifest.</param>
    /// <param name="where">File (and document) for error messages.</param>
    /// <param name="folder">The folder the handler modules are loaded from.</param>
    /// <param name="imageNotes">
    /// Cluster output (<c>asya manifests</c>): a handler module missing from the folder is noted here instead of failing
    /// when <c>spec.image</c> is set, as the image carries the code; <c>null</c> for local runs, where it must be there.
    /// </param>
    public static ActorDefinition? Read(JsonObject document, string where, string folder, ICollection<string>? imageNotes = null)
    {
        var apiVersion = Text(document["apiVersion"]);
        if (apiVersion != ApiVersion)
        {
            throw Error(where, "apiVersion", $"'{apiVersion}' is not supported; use {ApiVersion}");
        }

        AsyncActorSchema.Check(document, where);

        var metadata = document["metadata"] as JsonObject;
        var name = Text(metadata?["name"]);
        if (string.IsNullOrEmpty(name))
        {
            throw Error(where, "metadata.name", "is required");
        }

        var spec = document["spec"] as JsonObject ?? [];
        var actor = Text(spec["actor"]) ?? name;
        if (!ActorNames.IsValid(actor))
        {
            throw Error(where, spec.ContainsKey("actor") ? "spec.actor" : "metadata.name", $"'{actor}' is not a valid actor name (DNS label: lower-case letters, digits and '-', at most 63)");
        }

        var builtin = Text(spec["builtin"]);
        if (!string.IsNullOrEmpty(builtin))
        {
            // Crew manifests configure the cluster ('asya manifests'); 'asya up' starts its own crew.
            return ActorNames.IsBuiltin(builtin)
                ? null
                : throw Error(where, "spec.builtin", $"'{builtin}' is not a builtin; use {ActorNames.Sink}, {ActorNames.Sump}, {ActorNames.Pause} or {ActorNames.Resume}");
        }

        if (ActorNames.IsBuiltin(actor))
        {
            throw Error(where, "spec.actor", $"'{actor}' is a crew actor name; crew actors are started by asya itself");
        }

        var runtime = Text(spec["runtime"]);
        if (runtime is not null && (!RuntimeKinds.TryParse(runtime, out var kind) || kind != RuntimeKind.Python))
        {
            throw Error(where, "spec.runtime", $"'{runtime}' cannot run locally; asya up runs python handlers");
        }

        var handler = Text(spec["handler"]);
        if (string.IsNullOrEmpty(handler))
        {
            throw Error(where, "spec.handler", "is required (module.function or module.Class.method)");
        }

        if (!Names.IsHandlerReference(handler))
        {
            throw Error(where, "spec.handler", $"'{handler}' must be module.function or module.Class.method");
        }

        var module = handler[..handler.IndexOf('.', StringComparison.Ordinal)];
        if (!File.Exists(Path.Combine(folder, module + ".py")) && !Directory.Exists(Path.Combine(folder, module)))
        {
            if (imageNotes is not null && Text(spec["image"]) is { Length: > 0 } image)
            {
                imageNotes.Add($"{where}: spec.handler: module '{module}' is not in the folder; image {image} must contain it");
            }
            else
            {
                throw Error(where, "spec.handler", $"module '{module}' not found in the folder (expected {module}.py or a package folder {module}/)");
            }
        }

        var definition = new ActorDefinition(actor, handler, where)
        {
            Concurrency = ReadConcurrency(spec["concurrency"], where),
            Env = ReadEnv(spec["env"], where),
            Transport = Text(spec["transport"]),
        };
        return ReadResiliency(spec["resiliency"], where, definition);
    }

    public static CliException Error(string where, string field, string problem) => CliException.Config($"{where}: {field}: {problem}");

    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v => v.ToJsonString(),
        _ => node.ToJsonString(),
    };

    private static int ReadConcurrency(JsonNode? node, string where)
    {
        if (node is null)
        {
            return 1;
        }

        if (node is JsonValue v && v.TryGetValue<long>(out var n) && n is >= 1 and <= 1024)
        {
            return (int)n;
        }

        throw Error(where, "spec.concurrency", $"{node.ToJsonString()} must be an integer between 1 and 1024");
    }

    private static List<KeyValuePair<string, string>> ReadEnv(JsonNode? node, string where)
    {
        var env = new List<KeyValuePair<string, string>>();
        switch (node)
        {
            case null:
                break;
            case JsonArray items:
                for (var i = 0; i < items.Count; i++)
                {
                    var field = $"spec.env[{i}]";
                    if (items[i] is not JsonObject item || Text(item["name"]) is not { Length: > 0 } key)
                    {
                        throw Error(where, field, "must be {name: ..., value: ...}");
                    }

                    if (item.ContainsKey("valueFrom"))
                    {
                        throw Error(where, field + ".valueFrom", "is not supported locally; give a value");
                    }

                    env.Add(new(key, Text(item["value"]) ?? ""));
                }

                break;
            case JsonObject map:
                foreach (var (key, value) in map)
                {
                    env.Add(new(key, Text(value) ?? ""));
                }

                break;
            default:
                throw Error(where, "spec.env", "must be a list of {name, value}");
        }

        return env;
    }

    private static ActorDefinition ReadResiliency(JsonNode? node, string where, ActorDefinition definition)
    {
        if (node is null)
        {
            return definition;
        }

        if (node is not JsonObject resiliency)
        {
            throw Error(where, "spec.resiliency", "must be a mapping with actorTimeout, policies, rules");
        }

        // The sidecar reads the same block again from env; checking it here reports mistakes against the manifest.
        try
        {
            Asya.Components.Resiliency.ResiliencyParser.FromNode(resiliency, where);
        }
        catch (Asya.Components.Abstractions.ComponentConfigurationException ex)
        {
            throw CliException.Config(ex.Message);
        }

        string? timeout = null;
        if (resiliency["actorTimeout"] is { } t)
        {
            timeout = Text(t);
            if (timeout is null || !Asya.Components.Abstractions.MetadataReader.TryParseDuration(timeout, false, out var span) || span <= TimeSpan.Zero)
            {
                throw Error(where, "spec.resiliency.actorTimeout", $"'{timeout}' must be a positive duration such as 30s or 5m");
            }
        }

        string? policies = null;
        if (resiliency["policies"] is { } p)
        {
            if (p is not JsonObject policyMap)
            {
                throw Error(where, "spec.resiliency.policies", "must be a mapping of policy name to policy");
            }

            foreach (var (policyName, policy) in policyMap)
            {
                if (policy is not JsonObject)
                {
                    throw Error(where, $"spec.resiliency.policies.{policyName}", "must be a mapping (maxAttempts, backoff, initialDelay, ...)");
                }
            }

            policies = p.ToJsonString();
        }

        string? rules = null;
        if (resiliency["rules"] is { } r)
        {
            if (r is not JsonArray)
            {
                throw Error(where, "spec.resiliency.rules", "must be a list of {errors: [...], policy: name}");
            }

            rules = r.ToJsonString();
        }

        return definition with { ActorTimeout = timeout, ResiliencyPolicies = policies, ResiliencyRules = rules };
    }
}
