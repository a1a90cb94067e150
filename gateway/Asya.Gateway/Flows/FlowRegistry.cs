using Asya.Gateway.Configuration;
using Asya.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Asya.Gateway.Flows;

/// <summary>
/// The flows clients may call, reloaded when their files change. Files are polled (modification time and size) rather
/// than watched, because Kubernetes swaps a mounted ConfigMap through a symlink that file watchers miss. A file that no
/// longer loads keeps the last good flows and is logged with its <c>file:line</c>; at start it is a configuration error.
/// </summary>
internal sealed class FlowRegistry : BackgroundService
{
    private readonly string? _path;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger<FlowRegistry> _logger;
    private FlowSet _current = FlowSet.Empty;
    private string _fingerprint = "";

    public FlowRegistry(GatewayOptions options, TimeProvider time, ILogger<FlowRegistry> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _path = options.FlowsPath;
        _interval = options.FlowsPollInterval;
        _time = time;
        _logger = logger;
        if (_path is null)
        {
            return;
        }

        if (!File.Exists(_path) && !Directory.Exists(_path))
        {
            throw new ConfigurationException($"--flows (or ASYA_GATEWAY_FLOWS): '{Path.GetFullPath(_path)}' does not exist");
        }

        _fingerprint = Fingerprint(_path);
        try
        {
            _current = FlowsReader.Read(_path);
        }
        catch (FlowsFileException ex)
        {
            throw new ConfigurationException(ex.Message);
        }

        logger.FlowsLoaded(_current.Flows.Count, _path);
    }

    /// <summary>The flows now; a reference read, so a request sees one consistent set.</summary>
    public FlowSet Current => Volatile.Read(ref _current);

    /// <summary>Raised after a reload changed the flows (MCP sends <c>notifications/tools/list_changed</c>).</summary>
    public event Action<FlowSet>? Changed;

    /// <summary>Reads the files again if they changed since the last look; true when the flows were replaced.</summary>
    public bool ReloadIfChanged()
    {
        if (_path is null)
        {
            return false;
        }

        var fingerprint = Fingerprint(_path);
        if (fingerprint == _fingerprint)
        {
            return false;
        }

        _fingerprint = fingerprint;
        FlowSet next;
        try
        {
            next = FlowsReader.Read(_path);
        }
        catch (FlowsFileException ex)
        {
            _logger.FlowsReloadFailed(ex.Message, _current.Flows.Count);
            return false;
        }

        Volatile.Write(ref _current, next);
        _logger.FlowsLoaded(next.Flows.Count, _path);
        Changed?.Invoke(next);
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_path is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(_interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                ReloadIfChanged();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    // Which files exist, with their size and write time: a folder gaining or losing a flows file counts as a change.
    private static string Fingerprint(string path) =>
        string.Join('|', FlowsReader.FilesOf(path).Select(f =>
        {
            var info = new FileInfo(f);
            return info.Exists ? $"{f}:{info.Length}:{info.LastWriteTimeUtc.Ticks}" : $"{f}:missing";
        }));
}
