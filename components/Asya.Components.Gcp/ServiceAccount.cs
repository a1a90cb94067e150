using System.Text.Json;
using Asya.Components.Abstractions;

namespace Asya.Components.Gcp;

/// <summary>Rebuilds a service-account key file from Dapr's credential keys (Dapr does the same before calling Google's client).</summary>
internal static class ServiceAccount
{
    private const string PemHeader = "-----BEGIN PRIVATE KEY-----";

    /// <summary>The key file as JSON, or <c>null</c> when no key fields are set (application default credentials then).</summary>
    public static string? FromMetadata(ComponentSpec spec, MetadataReader reader, string projectId)
    {
        var values = GcpKeys.Credentials.ToDictionary(c => c.Key, c => reader.GetString(c.Key, c.Alias), StringComparer.Ordinal);
        if (values[GcpKeys.PrivateKey] is null && values[GcpKeys.ClientEmail] is null)
        {
            return null;
        }

        var type = values[GcpKeys.Type] ?? "service_account";
        if (type != "service_account")
        {
            throw ComponentConfigurationException.InvalidValue(spec, GcpKeys.Type, type, "only 'service_account' keys can be given as metadata");
        }

        var privateKey = values[GcpKeys.PrivateKey]
            ?? throw ComponentConfigurationException.InvalidValue(spec, GcpKeys.PrivateKey, null, "required with clientEmail");
        // Manifests often carry the key with literal \n sequences, as it appears inside the JSON key file.
        privateKey = privateKey.Replace("\\n", "\n", StringComparison.Ordinal);
        if (!privateKey.TrimStart().StartsWith(PemHeader, StringComparison.Ordinal))
        {
            throw Masked(spec, GcpKeys.PrivateKey, $"must be a PEM private key starting with {PemHeader}");
        }

        var email = values[GcpKeys.ClientEmail]
            ?? throw ComponentConfigurationException.InvalidValue(spec, GcpKeys.ClientEmail, null, "required with privateKey");
        if (!email.Contains('@', StringComparison.Ordinal))
        {
            throw ComponentConfigurationException.InvalidValue(spec, GcpKeys.ClientEmail, email, "must be the service account's e-mail address");
        }

        foreach (var key in new[] { GcpKeys.AuthUri, GcpKeys.TokenUri, GcpKeys.AuthProviderX509CertUrl, GcpKeys.ClientX509CertUrl })
        {
            if (values[key] is { } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
            {
                throw ComponentConfigurationException.InvalidValue(spec, key, url, "must be an absolute URL");
            }
        }

        var file = new Dictionary<string, string?>
        {
            ["type"] = type,
            ["project_id"] = values[GcpKeys.IdentityProjectId] ?? projectId,
            ["private_key_id"] = values[GcpKeys.PrivateKeyId],
            ["private_key"] = privateKey,
            ["client_email"] = email,
            ["client_id"] = values[GcpKeys.ClientId],
            ["auth_uri"] = values[GcpKeys.AuthUri] ?? "https://accounts.google.com/o/oauth2/auth",
            ["token_uri"] = values[GcpKeys.TokenUri] ?? "https://oauth2.googleapis.com/token",
            ["auth_provider_x509_cert_url"] = values[GcpKeys.AuthProviderX509CertUrl],
            ["client_x509_cert_url"] = values[GcpKeys.ClientX509CertUrl],
        };
        return JsonSerializer.Serialize(file.Where(f => f.Value is not null).ToDictionary());
    }

    /// <summary>An error about a key whose value is never shown, secret store or not.</summary>
    public static ComponentConfigurationException Masked(ComponentSpec spec, string key, string problem) =>
        new($"{spec.Describe()}: metadata '{key}' = ***: {problem}");
}
