using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Asya.ExternalScaler.Configuration;
using Asya.ExternalScaler.Tests.Infrastructure;
using Asya.Testing;
using Grpc.Core;
using Grpc.Net.Client;

namespace Asya.ExternalScaler.Tests.Rpc;

/// <summary>Server TLS from PEM files, and mTLS when a client CA is given (KEDA's caCert / tlsClientCert / tlsClientKey).</summary>
public sealed class TlsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task GetMetricSpec_ClientCertificateFromTheCa_AnsweredOverTls()
    {
        using var ca = CreateCa();
        using var server = Issue(ca, "CN=127.0.0.1", serverAuth: true);
        using var client = Issue(ca, "CN=keda", serverAuth: false);
        var options = new ScalerOptions
        {
            DataDirectory = _dir.Path,
            TlsCertificateFile = WritePem("server.pem", server.ExportCertificatePem()),
            TlsKeyFile = WritePem("server.key", server.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem()),
            TlsClientCaFile = WritePem("ca.pem", ca.ExportCertificatePem()),
        };
        await using var scaler = await ScalerServer.StartAsync(options);
        var reference = ScalerServer.Ref("so-tls", "tls");

        using var trusted = Channel(scaler, ca, client);
        var spec = await new Protocol.ExternalScaler.ExternalScalerClient(trusted).GetMetricSpecAsync(reference);
        Assert.Equal("asya-test-tls", Assert.Single(spec.MetricSpecs).MetricName);

        using var anonymous = Channel(scaler, ca, clientCertificate: null);
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await new Protocol.ExternalScaler.ExternalScalerClient(anonymous).GetMetricSpecAsync(reference));
        // Refused at the TLS handshake; gRPC reports it as Unavailable or, when the server's alert arrives after the
        // client already sent its HTTP/2 preface, as Internal. Either way no answer came from the service.
        Assert.Contains(error.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
    }

    private string WritePem(string name, string pem)
    {
        var path = _dir.Combine(name);
        File.WriteAllText(path, pem);
        return path;
    }

    private static GrpcChannel Channel(ScalerServer scaler, X509Certificate2 ca, X509Certificate2? clientCertificate)
    {
        var ssl = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                return certificate is X509Certificate2 presented && chain.Build(presented);
            },
            ClientCertificates = clientCertificate is null ? null : [clientCertificate],
        };
        return GrpcChannel.ForAddress(scaler.GrpcAddress.Replace("http://", "https://", StringComparison.Ordinal), new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { SslOptions = ssl },
        });
    }

    private static X509Certificate2 CreateCa()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=asya-test-ca", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject, bool serverAuth)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [serverAuth ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(System.Net.IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(8);
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(50), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
