using System.Diagnostics;
using System.Text.Json.Nodes;
using Asya.Testing;

namespace Asya.Deploy.Tests;

/// <summary>Renders kustomizations with <c>kubectl kustomize</c> (offline) and caches the result per folder.</summary>
internal static class Kustomize
{
    private static readonly Dictionary<string, IReadOnlyList<JsonObject>> Rendered = [];
    private static readonly Lock Gate = new();

    public static string Root { get; } = Path.Combine(RepoPaths.Root, "deploy", "kustomize");

    /// <summary>Every folder holding a kustomization.yaml, relative to deploy/kustomize; Components render only inside an overlay.</summary>
    public static TheoryData<string> Folders()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Root, "kustomization.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (File.ReadAllText(file).Contains("\nkind: Component\n", StringComparison.Ordinal))
            {
                continue;
            }

            data.Add(Path.GetRelativePath(Root, Path.GetDirectoryName(file)!).Replace('\\', '/'));
        }

        return data;
    }

    public static IReadOnlyList<JsonObject> Render(string folder)
    {
        lock (Gate)
        {
            if (Rendered.Count == 0)
            {
                RequireKustomizeV5();
            }

            if (!Rendered.TryGetValue(folder, out var objects))
            {
                var path = Path.Combine(Root, folder);
                Rendered[folder] = objects = YamlDocuments.Parse(Kubectl("kustomize", path), $"kubectl kustomize {path}");
            }

            return objects;
        }
    }

    // The manifests use kustomize v5 features (components, patches with targets); kubectl 1.27+ embeds kustomize v5.
    private static void RequireKustomizeV5()
    {
        var version = JsonNode.Parse(Kubectl("version", "--client", "-o", "json"))?["kustomizeVersion"]?.GetValue<string>() ?? "unknown";
        if (!version.StartsWith("v5", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"kubectl embeds kustomize {version}; the deploy tests need kubectl 1.27 or newer (kustomize v5), e.g. from pkgs.k8s.io");
        }
    }

    private static string Kubectl(params string[] args)
    {
        var info = new ProcessStartInfo("kubectl", args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("kubectl is not on PATH: the deploy tests render kustomizations with `kubectl kustomize` (install kubectl ≥ 1.27)", e);
        }

        using (process)
        {
            var error = new System.Text.StringBuilder();
            process.ErrorDataReceived += (_, e) =>
            {
                lock (error)
                {
                    error.AppendLine(e.Data);
                }
            };
            process.BeginErrorReadLine();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            lock (error)
            {
                return process.ExitCode == 0
                    ? output
                    : throw new InvalidOperationException($"kubectl {string.Join(' ', args)} exited with {process.ExitCode}: {error}");
            }
        }
    }
}
