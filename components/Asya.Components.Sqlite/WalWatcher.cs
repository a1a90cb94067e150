using Microsoft.Extensions.Logging;

namespace Asya.Components.Sqlite;

/// <summary>
/// Watches a database's <c>-wal</c> file, which every commit by any process writes to, so receivers waiting on an
/// idle queue wake on other processes' sends without waiting for their next poll. It raises events only while such
/// a receiver exists: under load every commit would raise one, which costs more than the polls it saves.
/// Best effort: if watching fails, polling still finds everything.
/// </summary>
internal sealed class WalWatcher : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Action _changed;
    private readonly ILogger _logger;
    private readonly string _component;
    private FileSystemWatcher? _watcher;
    private int _idleReceivers;
    private long _changes;

    private WalWatcher(FileSystemWatcher watcher, Action changed, ILogger logger, string component)
    {
        _watcher = watcher;
        _changed = changed;
        _logger = logger;
        _component = component;
        watcher.Changed += OnChanged;
        watcher.Created += OnChanged;
    }

    /// <summary>How many WAL changes were reported; for tests.</summary>
    public long Changes => Interlocked.Read(ref _changes);

    /// <summary>Receivers currently waiting on an idle queue.</summary>
    public int IdleReceivers => Volatile.Read(ref _idleReceivers);

    /// <summary>A watcher for <paramref name="databasePath"/>, or null when the platform or folder does not allow one.</summary>
    public static WalWatcher? TryCreate(string databasePath, Action changed, ILogger logger, string component)
    {
        try
        {
            var watcher = new FileSystemWatcher(Path.GetDirectoryName(databasePath)!, Path.GetFileName(databasePath) + "-wal")
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName,
                IncludeSubdirectories = false,
            };
            return new WalWatcher(watcher, changed, logger, component);
        }
        catch (Exception ex) when (IsWatchFailure(ex))
        {
            logger.WalWatchUnavailable(component, ex);
            return null;
        }
    }

    /// <summary>Counts a receiver in (+1) or out (-1) of waiting on an idle queue; events flow while any is in.</summary>
    public void ChangeIdleReceivers(int change)
    {
        lock (_lock)
        {
            _idleReceivers += change;
            var watch = _idleReceivers > 0;
            if (_watcher is not { } watcher || watcher.EnableRaisingEvents == watch)
            {
                return;
            }

            try
            {
                watcher.EnableRaisingEvents = watch;
            }
            catch (Exception ex) when (IsWatchFailure(ex))
            {
                watcher.Dispose();
                _watcher = null;
                _logger.WalWatchUnavailable(_component, ex);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _watcher?.Dispose();
            _watcher = null;
        }
    }

    private static bool IsWatchFailure(Exception ex) =>
        ex is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException;

    private void OnChanged(object sender, FileSystemEventArgs e)
    {
        Interlocked.Increment(ref _changes);
        if (Volatile.Read(ref _idleReceivers) > 0)
        {
            _changed();
        }
    }
}
