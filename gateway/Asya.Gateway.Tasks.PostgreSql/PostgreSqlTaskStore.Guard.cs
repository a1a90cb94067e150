using Npgsql;

namespace Asya.Gateway.Tasks.PostgreSql;

public sealed partial class PostgreSqlTaskStore
{
    /// <summary>
    /// Turns "the server is not there" (connection refused or broken, a server shutting down, a timeout) into
    /// <see cref="TaskStoreUnavailableException"/> naming the server; SQL errors stay what they are.
    /// </summary>
    internal static async Task<T> GuardAsync<T>(string server, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (NpgsqlException ex) when (ex is not PostgresException || ex.IsTransient)
        {
            throw new TaskStoreUnavailableException($"the task store's PostgreSQL {server} is unavailable: {ex.Message}", ex);
        }
        catch (TimeoutException ex)
        {
            throw new TaskStoreUnavailableException($"the task store's PostgreSQL {server} did not answer in time: {ex.Message}", ex);
        }
    }
}
