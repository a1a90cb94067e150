using System.Text.Json;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Asya.Gateway.Tasks.PostgreSql;

public sealed partial class PostgreSqlTaskEventHub
{
    /// <summary>The listening loop: wait for notifications, deliver them in order, reconnect when the connection is lost.</summary>
    private async Task RunAsync(NpgsqlConnection? connection, CancellationToken stop)
    {
        DateTimeOffset? lostAt = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    if (connection is null)
                    {
                        connection = await ListenAsync(stop).ConfigureAwait(false);
                        var outage = _clock.GetUtcNow() - lostAt!.Value;
                        _logger.HubReconnected(_server, outage);
                        lostAt = null;
                    }

                    await connection.WaitAsync(stop).ConfigureAwait(false);
                    await DeliverReceivedAsync(stop).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException && !stop.IsCancellationRequested)
                {
                    if (lostAt is null)
                    {
                        lostAt = _clock.GetUtcNow();
                        _logger.HubConnectionLost(_server, RetryInterval, ex);
                    }

                    _received.Clear();
                    if (connection is not null)
                    {
                        await connection.DisposeAsync().ConfigureAwait(false);
                        connection = null;
                    }

                    await Task.Delay(RetryInterval, _clock, stop).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task DeliverReceivedAsync(CancellationToken cancellationToken)
    {
        while (_received.TryDequeue(out var payload))
        {
            var body = payload.StartsWith(SpillMarker, StringComparison.Ordinal) ? await UnspillAsync(payload, cancellationToken).ConfigureAwait(false) : payload;
            if (body is null)
            {
                _logger.HubEventUnreadable(payload.Length, "its spilled row is gone (swept after 5 minutes)");
                continue;
            }

            try
            {
                // A batch is an array of events, delivered together; a single event an object.
                if (body.StartsWith('['))
                {
                    if (JsonSerializer.Deserialize<List<TaskEvent>>(body, TaskJson.Options) is { } events)
                    {
                        _fanout.Deliver(events);
                    }
                }
                else if (JsonSerializer.Deserialize<TaskEvent>(body, TaskJson.Options) is { } taskEvent)
                {
                    _fanout.Deliver(taskEvent);
                }
            }
            catch (JsonException ex)
            {
                _logger.HubEventUnreadable(body.Length, ex.Message);
            }
        }
    }

    private async Task<string?> UnspillAsync(string payload, CancellationToken cancellationToken)
    {
        if (!long.TryParse(payload.AsSpan(SpillMarker.Length), out var id))
        {
            return null;
        }

        await using var command = _dataSource.CreateCommand(Unspill);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }
}
