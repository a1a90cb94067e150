namespace Asya.Testing.Brokers;

/// <summary>A Dapr <c>state.postgresql</c> (v2) Component manifest, as a gateway's <c>--task-store</c> or a state store reads it.</summary>
public static class PostgreSqlComponentManifest
{
    /// <summary>Writes <c>&lt;name&gt;.yaml</c> into <paramref name="folder"/> with <paramref name="connectionString"/> (pgx key=value form).</summary>
    public static Task WriteAsync(string folder, string name, string connectionString) =>
        File.WriteAllTextAsync(Path.Combine(folder, name + ".yaml"), $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: {name}
            spec:
              type: state.postgresql
              version: v2
              metadata:
              - name: connectionString
                value: "{connectionString}"
            """);
}
