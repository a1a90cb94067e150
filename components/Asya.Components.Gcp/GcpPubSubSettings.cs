using System.Globalization;
using Asya.Components.Abstractions;

namespace Asya.Components.Gcp;

/// <summary>The validated metadata of one <c>pubsub.gcp.pubsub</c> component.</summary>
internal sealed record GcpPubSubSettings
{
    /// <summary>Dapr's default subscription ack deadline.</summary>
    public static readonly TimeSpan DefaultAckDeadline = TimeSpan.FromSeconds(20);

    /// <summary>Pub/Sub's longest ack deadline, also the longest modifyAckDeadline.</summary>
    public static readonly TimeSpan MaxAckDeadline = TimeSpan.FromSeconds(600);

    public required string ProjectId { get; init; }

    /// <summary>Emulator address (<c>http://host:port</c>), or <c>null</c> for Google Cloud over TLS.</summary>
    public Uri? EmulatorEndpoint { get; init; }

    /// <summary>Google Cloud endpoint when no emulator is configured.</summary>
    public Uri CloudEndpoint { get; init; } = new("https://pubsub.googleapis.com");

    /// <summary>The service-account key file rebuilt from the credential keys, or <c>null</c> (application default credentials).</summary>
    public string? ServiceAccountJson { get; init; }

    public bool ManageEntities { get; init; } = true;

    public bool EnableMessageOrdering { get; init; }

    public string? OrderingKey { get; init; }

    /// <summary>Full topic name of the dead-letter topic, or <c>null</c> for no dead-letter policy.</summary>
    public string? DeadLetterTopic { get; init; }

    public int MaxDeliveryAttempts { get; init; } = 5;

    public TimeSpan AckDeadline { get; init; } = DefaultAckDeadline;

    public TimeSpan ReconnectCap { get; init; } = TimeSpan.FromSeconds(2);

    public int MaxOutstandingMessages { get; init; } = 1000;

    public long MaxOutstandingBytes { get; init; } = 1_000_000_000;

    /// <summary>StreamingPull (default on Google Cloud) or polled unary Pull (default on the emulator; see <see cref="SubscriptionConsumer"/>).</summary>
    public bool StreamingPull { get; init; } = true;

    /// <summary>Reads and checks every key; a bad value throws naming component, key and (masked if secret) value.</summary>
    public static GcpPubSubSettings Read(ComponentSpec spec, Func<string, string?> environment)
    {
        var reader = new MetadataReader(spec);
        var project = reader.GetRequiredString(GcpKeys.ProjectId, "project_id").Trim();
        if (project.Length == 0 || project.Contains('/', StringComparison.Ordinal) || project.Any(char.IsWhiteSpace))
        {
            throw ComponentConfigurationException.InvalidValue(spec, GcpKeys.ProjectId, project, "must be a project id, without '/' or spaces");
        }

        var endpointText = reader.GetString(GcpKeys.Endpoint) ?? environment("PUBSUB_EMULATOR_HOST");
        var ackDeadline = reader.GetDuration(GcpKeys.AckDeadline, DefaultAckDeadline);
        if (ackDeadline <= TimeSpan.Zero || ackDeadline > MaxAckDeadline)
        {
            throw ComponentConfigurationException.InvalidValue(
                spec, GcpKeys.AckDeadline, reader.GetString(GcpKeys.AckDeadline), "must be more than 0 and at most 600s");
        }

        var deadLetter = reader.GetString(GcpKeys.DeadLetterTopic)?.Trim();
        if (deadLetter is not null)
        {
            var id = deadLetter.StartsWith("projects/", StringComparison.Ordinal) && deadLetter.Split('/') is [_, _, "topics", var last]
                ? last
                : deadLetter;
            if (PubSubNames.ProblemWithId(id) is { } problem)
            {
                throw ComponentConfigurationException.InvalidValue(spec, GcpKeys.DeadLetterTopic, deadLetter, problem);
            }

            deadLetter = deadLetter.StartsWith("projects/", StringComparison.Ordinal) ? deadLetter : PubSubNames.Topic(project, id);
        }

        // Validated like the other numbers even where they change nothing here, so a typo is caught before production.
        reader.GetInt(GcpKeys.MaxReconnectionAttempts, 30, min: 0);
        reader.GetInt(GcpKeys.MaxConcurrentConnections, 1, min: 1);
        var recovery = reader.GetInt(GcpKeys.ConnectionRecoveryInSec, 2, min: 1, max: 3600);
        var maxMessages = reader.GetInt(GcpKeys.MaxOutstandingMessages, 1000);
        var maxBytes = ReadLong(spec, reader, GcpKeys.MaxOutstandingBytes, 1_000_000_000);
        return new GcpPubSubSettings
        {
            ProjectId = project,
            EmulatorEndpoint = endpointText is null ? null : ParseEndpoint(spec, endpointText),
            ServiceAccountJson = endpointText is null ? ServiceAccount.FromMetadata(spec, reader, project) : null,
            ManageEntities = !reader.GetBool(GcpKeys.DisableEntityManagement, false),
            EnableMessageOrdering = reader.GetBool(GcpKeys.EnableMessageOrdering, false),
            OrderingKey = reader.GetString(GcpKeys.OrderingKey),
            DeadLetterTopic = deadLetter,
            MaxDeliveryAttempts = reader.GetInt(GcpKeys.MaxDeliveryAttempts, 5, min: 5, max: 100),
            AckDeadline = ackDeadline,
            ReconnectCap = TimeSpan.FromSeconds(recovery),
            // Dapr: a negative limit means unlimited; the receive buffer stays bounded regardless.
            MaxOutstandingMessages = maxMessages <= 0 ? 10_000 : maxMessages,
            MaxOutstandingBytes = maxBytes <= 0 ? 0 : maxBytes,
            StreamingPull = reader.GetBool(GcpKeys.StreamingPull, endpointText is null),
        };
    }

    private static Uri ParseEndpoint(ComponentSpec spec, string text)
    {
        var trimmed = text.Trim();
        var withScheme = trimmed.Contains("://", StringComparison.Ordinal) ? trimmed : "http://" + trimmed;
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https")
            || uri.Host.Length == 0
            || uri.AbsolutePath != "/")
        {
            throw ComponentConfigurationException.InvalidValue(
                spec, GcpKeys.Endpoint, text, "must be host:port of the emulator (e.g. localhost:8085) or an http(s) URL without a path");
        }

        return uri;
    }

    private static long ReadLong(ComponentSpec spec, MetadataReader reader, string key, long defaultValue)
    {
        if (reader.GetString(key) is not { } text)
        {
            return defaultValue;
        }

        return long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ComponentConfigurationException.InvalidValue(spec, key, text, "must be an integer");
    }
}
