using System.Text.Json.Nodes;
using Asya.Testing;

namespace Asya.Deploy.Tests;

/// <summary>The AsyncActor CRD from deploy/crds and its v1alpha1 schema.</summary>
internal static class Crd
{
    public static string Path { get; } = System.IO.Path.Combine(RepoPaths.Root, "deploy", "crds", "asya.sh_asyncactors.yaml");

    public static JsonObject Document { get; } = YamlDocuments.ParseSingle(Path);

    public static JsonObject Version =>
        (JsonObject)Document["spec"]!["versions"]!.AsArray().Single(v => YamlDocuments.Text(v!["name"]) == "v1alpha1")!;

    public static JsonObject Schema => (JsonObject)Version["schema"]!["openAPIV3Schema"]!;
}
