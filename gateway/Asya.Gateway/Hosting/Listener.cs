using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Asya.Gateway.Hosting;

/// <summary>
/// The gateway's two listeners. Each connection is tagged with the listener it came in on, and an endpoint serves only
/// the listeners its <see cref="ListenerMetadata"/> names: a client on the api port can never post a status, and the
/// mesh port (no credentials) offers nothing but the sidecar callbacks.
/// </summary>
internal enum Listener
{
    Api,
    Mesh,
}

/// <summary>Endpoint metadata: the listeners the endpoint is served on (endpoints without it, the probes, are on both).</summary>
internal sealed record ListenerMetadata(Listener Listener);

internal static class Listeners
{
    private const string ItemKey = "asya.listener";

    /// <summary>Kestrel connection middleware that tags every connection of a listener.</summary>
    public static Func<ConnectionDelegate, ConnectionDelegate> Tag(Listener listener) => next => connection =>
    {
        connection.Items[ItemKey] = listener;
        return next(connection);
    };

    /// <summary>The listener the request came in on; null for a connection no listener tagged (a test server).</summary>
    public static Listener? Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(ItemKey, out var value) == true && value is Listener listener
            ? listener
            : null;
    }

    /// <summary>Serves the endpoints of <paramref name="builder"/> on <paramref name="listener"/> only.</summary>
    public static TBuilder OnListener<TBuilder>(this TBuilder builder, Listener listener)
        where TBuilder : Microsoft.AspNetCore.Builder.IEndpointConventionBuilder
    {
        builder.Add(endpoint => endpoint.Metadata.Add(new ListenerMetadata(listener)));
        return builder;
    }
}
