using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Asya.Deploy.Tests;

/// <summary>Validates AsyncActor manifests against the CRD schema (JsonSchema.Net) and its CEL rules (C# twins).</summary>
internal static class SchemaValidator
{
    private static readonly Lazy<JsonSchema> Strict = new(() =>
        JsonSchema.FromText(StrictSchema.From(Crd.Schema).ToJsonString(), baseUri: new Uri("https://asya.sh/schemas/asyncactor-v1alpha1-strict")));

    /// <summary>Problems found: "instance path: error" lines for schema errors, then CEL rule messages.</summary>
    public static IReadOnlyList<string> Problems(JsonObject manifest)
    {
        using var document = JsonDocument.Parse(manifest.ToJsonString());
        var result = Strict.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var problems = new List<string>();
        if (!result.IsValid)
        {
            foreach (var detail in result.Details ?? [])
            {
                foreach (var (keyword, error) in detail.Errors ?? new Dictionary<string, string>())
                {
                    problems.Add($"{detail.InstanceLocation}: {keyword}: {error}");
                }
            }

            if (problems.Count == 0)
            {
                problems.Add("invalid (no details)");
            }
        }

        problems.AddRange(CelRules.Violations(Crd.Schema, manifest));
        return problems;
    }
}
