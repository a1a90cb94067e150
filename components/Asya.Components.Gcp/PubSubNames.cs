using System.Buffers;

namespace Asya.Components.Gcp;

/// <summary>Resource names: <c>projects/&lt;p&gt;/topics/&lt;id&gt;</c> and <c>projects/&lt;p&gt;/subscriptions/&lt;id&gt;</c>.</summary>
internal static class PubSubNames
{
    private static readonly SearchValues<char> IdCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~+%");

    public static string Topic(string project, string id) => $"projects/{project}/topics/{id}";

    public static string Subscription(string project, string id) => $"projects/{project}/subscriptions/{id}";

    /// <summary>Why <paramref name="id"/> is not a valid topic or subscription id, or <c>null</c> when it is.</summary>
    public static string? ProblemWithId(string id) =>
        id.Length is < 3 or > 255 ? "Pub/Sub ids are 3 to 255 characters long"
        : !char.IsAsciiLetter(id[0]) ? "Pub/Sub ids start with a letter"
        : id.AsSpan().IndexOfAnyExcept(IdCharacters) >= 0 ? "Pub/Sub ids hold only letters, digits and - _ . ~ + %"
        : id.StartsWith("goog", StringComparison.OrdinalIgnoreCase) ? "Pub/Sub ids must not start with 'goog'"
        : null;

    /// <summary>The queue's id, checked: a queue name is both the topic id and the subscription id.</summary>
    public static string CheckQueue(string queue)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        return ProblemWithId(queue) is { } problem
            ? throw new ArgumentException($"queue '{queue}' cannot be a Pub/Sub topic and subscription id: {problem}", nameof(queue))
            : queue;
    }
}
