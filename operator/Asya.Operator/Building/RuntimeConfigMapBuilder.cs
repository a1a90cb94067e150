using k8s.Models;

namespace Asya.Operator.Building;

/// <summary>
/// The namespace-shared ConfigMap holding <c>asya_runtime.py</c> (embedded in this assembly at build time from
/// runtime/python). It has no owner: it outlives any one actor.
/// </summary>
public static class RuntimeConfigMapBuilder
{
    public const string ScriptKey = "asya_runtime.py";

    private static readonly Lazy<string> Script = new(ReadScript);

    public static string RuntimeScript => Script.Value;

    public static V1ConfigMap Build(string ns, OperatorSettings settings)
    {
        ArgumentException.ThrowIfNullOrEmpty(ns);
        ArgumentNullException.ThrowIfNull(settings);
        return new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta
            {
                Name = settings.RuntimeConfigMapName,
                NamespaceProperty = ns,
                Labels = new Dictionary<string, string>
                {
                    [Labels.Name] = "asya-runtime",
                    [Labels.Component] = "runtime",
                    [Labels.PartOf] = "asya",
                    [Labels.ManagedBy] = OperatorSettings.FieldManager,
                },
            },
            Data = new Dictionary<string, string> { [ScriptKey] = RuntimeScript },
        };
    }

    private static string ReadScript()
    {
        using var stream = typeof(RuntimeConfigMapBuilder).Assembly.GetManifestResourceStream(ScriptKey)
            ?? throw new InvalidOperationException($"embedded resource {ScriptKey} is missing from {typeof(RuntimeConfigMapBuilder).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
