using System.Diagnostics;
using Asya.Testing;
using Microsoft.AspNetCore.Http;

namespace Asya.Gateway.Tests.Infrastructure;

/// <summary>
/// Fires when ASP.NET Core has finished <c>count</c> requests to <paramref name="path"/> on <paramref name="port"/> (its
/// <c>HttpRequestIn.Stop</c> diagnostic event): the signal that a streaming handler has returned and cleaned up.
/// </summary>
public sealed class RequestEnded : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly int _port;
    private readonly string _path;
    private readonly IDisposable _all;
    private readonly List<IDisposable> _subscriptions = [];

    public RequestEnded(int port, string path, int count = 1)
    {
        Signal = new WaitSignal(count);
        _port = port;
        _path = path;
        _all = DiagnosticListener.AllListeners.Subscribe(this);
    }

    public WaitSignal Signal { get; }

    public void OnNext(DiagnosticListener value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Name == "Microsoft.AspNetCore")
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(value.Subscribe(this, name => name.StartsWith("Microsoft.AspNetCore.Hosting.HttpRequestIn", StringComparison.Ordinal)));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key == "Microsoft.AspNetCore.Hosting.HttpRequestIn.Stop"
            && value.Value is HttpContext context && context.Connection.LocalPort == _port && context.Request.Path == _path)
        {
            Signal.Pulse();
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        _all.Dispose();
        lock (_subscriptions)
        {
            _subscriptions.ForEach(s => s.Dispose());
        }
    }
}
