using System.Data.Common;

namespace Asya.Gateway.Tasks;

/// <summary>
/// Reads a task from a SQL row whose first columns are, in order: id, parent_id, flow, status, route, payload, result,
/// error, progress, actor, created_at, updated_at, deadline, remaining, pause_metadata (JSON as text). Each store reads
/// its own time and duration types.
/// </summary>
public static class TaskRows
{
    public static MeshTask Read(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> time, Func<DbDataReader, int, TimeSpan> duration)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(duration);
        return new MeshTask
        {
            Id = reader.GetString(0),
            ParentId = Text(reader, 1),
            Flow = Text(reader, 2),
            Status = TaskStates.Parse(reader.GetString(3)),
            Route = TaskJson.ParseRoute(reader.GetString(4)),
            Payload = TaskJson.Parse(Text(reader, 5)),
            Result = TaskJson.Parse(Text(reader, 6)),
            Error = TaskJson.Parse(Text(reader, 7)),
            Progress = reader.GetDouble(8),
            Actor = Text(reader, 9),
            CreatedAt = time(reader, 10),
            UpdatedAt = time(reader, 11),
            Deadline = reader.IsDBNull(12) ? null : time(reader, 12),
            RemainingWhilePaused = reader.IsDBNull(13) ? null : duration(reader, 13),
            PauseMetadata = TaskJson.Parse(Text(reader, 14)),
        };
    }

    public static string? Text(DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }
}
