namespace Asya.Gateway.Tasks;

/// <summary>The wire names of <see cref="TaskState"/> (lowercase), for query strings, SQL columns and logs.</summary>
public static class TaskStates
{
    private static readonly string[] Names = ["pending", "running", "paused", "succeeded", "failed", "canceled"];

    public static string ToWire(this TaskState state) => Names[(int)state];

    /// <summary>Parses a wire name exactly (lowercase); false for anything else.</summary>
    public static bool TryParse(string? text, out TaskState state)
    {
        var index = Array.IndexOf(Names, text);
        state = index < 0 ? default : (TaskState)index;
        return index >= 0;
    }

    public static TaskState Parse(string text) =>
        TryParse(text, out var state) ? state : throw new FormatException($"'{text}' is not a task status ({string.Join(", ", Names)})");
}
