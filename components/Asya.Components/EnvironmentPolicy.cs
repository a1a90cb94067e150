namespace Asya.Components;

/// <summary>
/// Which environment variables manifests may read (<c>envRef</c>, <c>secretstores.local.env</c>), as in Dapr:
/// never <c>APP_API_TOKEN</c>, <c>DAPR_*</c> or names with spaces; when <c>DAPR_ENV_KEYS</c> is set, only the names it lists.
/// </summary>
internal static class EnvironmentPolicy
{
    public const string Rule = "APP_API_TOKEN, DAPR_* and names containing spaces may not be read";

    public static bool IsAllowed(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Any(char.IsWhiteSpace))
        {
            return false;
        }

        if (name.Equals("APP_API_TOKEN", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("DAPR_", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var allowList = Environment.GetEnvironmentVariable("DAPR_ENV_KEYS");
        return string.IsNullOrWhiteSpace(allowList)
            || allowList.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Contains(name, StringComparer.Ordinal);
    }
}
