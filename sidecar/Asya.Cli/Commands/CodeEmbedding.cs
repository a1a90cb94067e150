using System.Text.Json.Nodes;
using Asya.Cli.Cli;
using Asya.Operator.Building;

namespace Asya.Cli.Commands;

/// <summary>
/// <c>--embed-code</c>: the folder's <c>*.py</c> files go into ConfigMap <c>asya-code</c>, mounted read-only at
/// <c>/opt/asya/code</c> in every runtime container (working directory and PYTHONPATH), so a stock Python image runs
/// the handlers. Only for small folders: a ConfigMap holds at most 1 MiB.
/// </summary>
internal static class CodeEmbedding
{
    public const string ConfigMapName = "asya-code";
    public const string MountPath = "/opt/asya/code";
    private const int Limit = 1024 * 1024;

    public static IReadOnlyList<JsonObject> Apply(IReadOnlyList<JsonObject> objects, string folder, string ns)
    {
        var data = new JsonObject();
        var size = 0;
        foreach (var path in Directory.EnumerateFiles(folder, "*.py").Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(path);
            size += text.Length;
            data[Path.GetFileName(path)] = text;
        }

        if (size > Limit)
        {
            throw CliException.Config($"{folder}: --embed-code: the handler files hold {size} bytes, more than a ConfigMap's 1 MiB; build an image instead");
        }

        var result = new List<JsonObject>
        {
            new()
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new JsonObject
                {
                    ["name"] = ConfigMapName,
                    ["namespace"] = ns,
                    ["labels"] = new JsonObject { [Labels.PartOf] = "asya", [Labels.Component] = "code" },
                },
                ["data"] = data,
            },
        };
        foreach (var obj in objects)
        {
            if (obj["kind"]?.GetValue<string>() == "Deployment" && obj["spec"]?["template"]?["spec"] is JsonObject pod)
            {
                foreach (var container in (pod["containers"] as JsonArray ?? []).OfType<JsonObject>()
                    .Where(c => c["name"]?.GetValue<string>() == DeploymentBuilder.RuntimeContainer))
                {
                    container["workingDir"] = MountPath;
                    (container["env"] as JsonArray ?? []).Add(new JsonObject { ["name"] = "PYTHONPATH", ["value"] = MountPath });
                    (container["volumeMounts"] as JsonArray ?? []).Add(new JsonObject { ["name"] = ConfigMapName, ["mountPath"] = MountPath, ["readOnly"] = true });
                    (pod["volumes"] as JsonArray ?? []).Add(new JsonObject { ["name"] = ConfigMapName, ["configMap"] = new JsonObject { ["name"] = ConfigMapName } });
                }
            }

            result.Add(obj);
        }

        return result;
    }
}
