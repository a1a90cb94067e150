namespace Asya.ExternalScaler.Metadata;

/// <summary>Bad trigger metadata; the message names the key, the value and what is wrong.</summary>
internal sealed class InvalidMetadataException(string key, string message) : Exception(message)
{
    public string Key { get; } = key;
}
