namespace Asya.Components.PostgreSql;

/// <summary>One libpq connection parameter and the metadata key it came from, so an error names the key the user wrote.</summary>
/// <param name="Name">libpq's name, e.g. <c>sslmode</c>.</param>
/// <param name="Value">The value, unquoted and unescaped.</param>
/// <param name="Source">The metadata key holding it: <c>connectionString</c>, or an override key such as <c>port</c>.</param>
internal sealed record ConnectionParameter(string Name, string Value, string Source)
{
    /// <summary>Parameters whose values are never shown in a message.</summary>
    public bool IsSecret => Name is "password" or "sslpassword";
}
