using Asya.Components.Abstractions;
using Asya.Components.Gcp.PubSubV1;
using Google.Apis.Auth.OAuth2;
using Grpc.Core;
using Grpc.Net.Client;

namespace Asya.Components.Gcp;

/// <summary>
/// One HTTP/2 channel with the Publisher and Subscriber stubs: cleartext h2c to an emulator, or TLS to Google Cloud with
/// an OAuth token (service account from the metadata, else application default credentials) on every call.
/// </summary>
internal sealed class PubSubConnection : IDisposable
{
    private const string Scope = "https://www.googleapis.com/auth/pubsub";

    private readonly GrpcChannel _channel;

    private PubSubConnection(GrpcChannel channel)
    {
        _channel = channel;
        Publisher = new Publisher.PublisherClient(channel);
        Subscriber = new Subscriber.SubscriberClient(channel);
    }

    public Publisher.PublisherClient Publisher { get; }

    public Subscriber.SubscriberClient Subscriber { get; }

    public static async Task<PubSubConnection> OpenAsync(ComponentSpec spec, GcpPubSubSettings settings, CancellationToken cancellationToken)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        var options = new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            // Pub/Sub messages reach 10 MB and a streaming-pull response holds several.
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            MaxSendMessageSize = 16 * 1024 * 1024,
            // After an outage (an emulator restart) the channel reconnects within 2 s, not the default 2 minutes.
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(100),
            MaxReconnectBackoff = TimeSpan.FromSeconds(2),
        };
        if (settings.EmulatorEndpoint is { } emulator)
        {
            options.Credentials = emulator.Scheme == Uri.UriSchemeHttps ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure;
            return new PubSubConnection(GrpcChannel.ForAddress(emulator, options));
        }

        var credential = await LoadCredentialAsync(spec, settings, cancellationToken).ConfigureAwait(false);
        var callCredentials = CallCredentials.FromInterceptor(async (context, metadata) =>
        {
            var token = await credential.UnderlyingCredential
                .GetAccessTokenForRequestAsync(cancellationToken: context.CancellationToken).ConfigureAwait(false);
            metadata.Add("authorization", "Bearer " + token);
        });
        options.Credentials = ChannelCredentials.Create(ChannelCredentials.SecureSsl, callCredentials);
        return new PubSubConnection(GrpcChannel.ForAddress(settings.CloudEndpoint, options));
    }

    public void Dispose() => _channel.Dispose();

    private static async Task<GoogleCredential> LoadCredentialAsync(ComponentSpec spec, GcpPubSubSettings settings, CancellationToken cancellationToken)
    {
        if (settings.ServiceAccountJson is { } json)
        {
            try
            {
                return CredentialFactory.FromJson<ServiceAccountCredential>(json).ToGoogleCredential().CreateScoped(Scope);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or System.Security.Cryptography.CryptographicException)
            {
                // The cause may quote the key; only its type is kept.
                throw ServiceAccount.Masked(spec, GcpKeys.PrivateKey, $"the service-account key could not be read ({ex.GetType().Name})");
            }
        }

        try
        {
            return (await GoogleCredential.GetApplicationDefaultAsync(cancellationToken).ConfigureAwait(false)).CreateScoped(Scope);
        }
        catch (InvalidOperationException ex)
        {
            throw new ComponentConfigurationException(
                $"{spec.Describe()}: no Google credentials: set privateKey and clientEmail (a service-account key), set endpoint " +
                "for the emulator, or provide application default credentials (GOOGLE_APPLICATION_CREDENTIALS)",
                ex);
        }
    }
}
