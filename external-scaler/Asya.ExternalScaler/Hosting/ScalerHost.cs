using System.Security.Cryptography.X509Certificates;
using Asya.Components;
using Asya.Components.Observability;
using Asya.Hosting;
using Asya.ExternalScaler.Configuration;
using Asya.ExternalScaler.Depth;
using Asya.ExternalScaler.Metadata;
using Asya.ExternalScaler.Observability;
using Asya.ExternalScaler.Rpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Asya.ExternalScaler.Hosting;

/// <summary>Builds the scaler's web app: gRPC (HTTP/2) on one port, <c>/metrics</c> and probes (HTTP/1) on another.</summary>
internal static class ScalerHost
{
    public static WebApplication Build(ScalerOptions options, Action<IServiceCollection>? configureServices = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevels.Parse(options.LogLevel));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => ConfigureKestrel(kestrel, options));

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddBuiltInComponents();
        services.AddSingleton(new ComponentLoaderOptions { AppId = options.AppId, Namespace = options.Namespace });
        services.AddSingleton(options);
        services.AddSingleton<ScalerMetrics>();
        services.AddSingleton(sp => new PrometheusExposition(sp.GetRequiredService<ScalerMetrics>().Meter));
        services.AddSingleton<DepthEngine>();
        services.AddHostedService(sp => sp.GetRequiredService<DepthEngine>());
        services.AddSingleton<MetadataCache>();
        services.AddSingleton<CallMetricsInterceptor>();
        services.AddGrpc(grpc => grpc.Interceptors.Add<CallMetricsInterceptor>());
        services.AddGrpcHealthChecks().AddCheck<EngineHealthCheck>("depth-engine");
        configureServices?.Invoke(services);

        var app = builder.Build();
        app.MapGrpcService<ExternalScalerService>();
        app.MapGrpcHealthChecksService();
        var engine = app.Services.GetRequiredService<DepthEngine>();
        var exposition = app.Services.GetRequiredService<PrometheusExposition>();
        app.MapAsyaProbes(exposition, () => engine.Ready, () => engine.Pollers.Values.Select(p => p.Heartbeat));
        app.Lifetime.ApplicationStarted.Register(() => app.Logger.Listening(
            options.GrpcAddress, options.TlsCertificateFile is null ? "h2c" : options.TlsClientCaFile is null ? "TLS" : "mTLS",
            options.MetricsAddress ?? "off"));
        return app;
    }

    private static void ConfigureKestrel(KestrelServerOptions kestrel, ScalerOptions options)
    {
        // KEDA multiplexes every ScaledObject over one HTTP/2 connection and holds a stream per push trigger; past the
        // default of 100 streams the client queues calls locally, so unary calls would starve behind push streams.
        kestrel.Limits.Http2.MaxStreamsPerConnection = options.MaxStreamsPerConnection;
        kestrel.Limits.Http2.InitialConnectionWindowSize = 4 * 1024 * 1024;
        kestrel.Limits.Http2.InitialStreamWindowSize = 256 * 1024;
        kestrel.Limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(30);
        kestrel.Limits.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(20);
        kestrel.Limits.MinRequestBodyDataRate = null;
        kestrel.Limits.MinResponseDataRate = null;

        ListenAddress.Listen(kestrel, options.GrpcAddress, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (options.TlsCertificateFile is { } cert)
            {
                listen.UseHttps(https => ConfigureTls(https, cert, options.TlsKeyFile!, options.TlsClientCaFile));
            }
        });
        if (options.MetricsAddress is { } metrics)
        {
            ListenAddress.Listen(kestrel, metrics, listen => listen.Protocols = HttpProtocols.Http1);
        }
    }

    private static void ConfigureTls(HttpsConnectionAdapterOptions https, string certFile, string keyFile, string? clientCaFile)
    {
        https.ServerCertificate = LoadCertificate(certFile, keyFile);
        if (clientCaFile is null)
        {
            return;
        }

        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(clientCaFile);
        if (authorities.Count == 0)
        {
            throw new ConfigurationException($"--tls-client-ca: '{clientCaFile}' holds no PEM certificate");
        }

        https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
        https.ClientCertificateValidation = (certificate, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
            return chain.Build(certificate);
        };
    }

    private static X509Certificate2 LoadCertificate(string certFile, string keyFile)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);
            // Re-import so the key is usable by SslStream on every platform (PEM keys are ephemeral otherwise).
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new ConfigurationException($"--tls-cert/--tls-key: cannot load '{certFile}' with key '{keyFile}': {ex.Message}");
        }
    }
}
