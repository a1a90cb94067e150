using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.Runtime;
using Amazon.SQS;
using Asya.Components.Abstractions;
using Asya.Testing;
using Asya.Testing.Brokers;

namespace Asya.Components.Aws.IntegrationTests;

/// <summary>
/// SQS refuses to create a queue within 60 s of deleting one with the same name (QueueDeletedRecently). The shared
/// emulator has that lifecycle off (tests reuse names at once), so this class starts its own shim with it on and the
/// window shortened to a few seconds (deploy/local/sqs-shim.js: SQS_QUEUE_LIFECYCLE, SQS_QUEUE_DELETE_SECONDS).
/// </summary>
public sealed class SqsQueueLifecycleTests : IAsyncLifetime
{
    private const string DeleteSeconds = "5";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private Process? _shim;
    private string _endpoint = string.Empty;

    public async Task InitializeAsync()
    {
        if (SqsTestEnvironment.Broker.SkipReason is not null)
        {
            return;
        }

        var port = FreePort();
        var services = Environment.GetEnvironmentVariable("ASYA_SERVICES_DIR") is { Length: > 0 } dir ? dir : "/tmp/asya-services";
        var nodeDir = Environment.GetEnvironmentVariable("ASYA_SERVICES_NODE_DIR") is { Length: > 0 } node ? node : Path.Combine(services, "node");
        var info = new ProcessStartInfo("node", [Path.Combine(RepoPaths.Root, "deploy", "local", "sqs-shim.js")])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["NODE_PATH"] = Path.Combine(nodeDir, "node_modules");
        info.Environment["SQS_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["SQS_QUEUE_LIFECYCLE"] = "1";
        info.Environment["SQS_QUEUE_DELETE_SECONDS"] = DeleteSeconds;
        _shim = Process.Start(info) ?? throw new InvalidOperationException("could not start node");
        _ = _shim.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Patience);
        var line = await _shim.StandardOutput.ReadLineAsync(deadline.Token);
        Assert.True(line?.Contains("queue lifecycle on", StringComparison.Ordinal) == true, $"the private SQS emulator did not start: {line ?? "(exited)"}");
        _endpoint = $"http://127.0.0.1:{port}";
    }

    public async Task DisposeAsync()
    {
        if (_shim is { } shim)
        {
            shim.Kill();
            await shim.WaitForExitAsync();
            shim.Dispose();
        }
    }

    [BrokerFact("ASYA_TEST_SQS", "sqs")]
    public async Task EnsureQueue_RightAfterDeletingIt_WaitsOutTheRefusalAndDelivers()
    {
        await using var transport = await CreateTransportAsync();
        var admin = (IQueueAdmin)transport;
        var queue = "asya-test-" + Guid.NewGuid().ToString("N")[..12];
        await admin.EnsureQueueAsync(new QueueSpec(queue), default);
        await transport.SendAsync(queue, new OutgoingMessage(Encoding.UTF8.GetBytes("before")), default);
        await admin.DeleteQueueAsync(queue, default);

        // The emulator refuses, as SQS does...
        using (var raw = new AmazonSQSClient(
            new BasicAWSCredentials(SqsTestEnvironment.AccessKey, SqsTestEnvironment.SecretKey),
            new AmazonSQSConfig { ServiceURL = _endpoint, AuthenticationRegion = "us-east-1" }))
        {
            var refusal = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => raw.CreateQueueAsync(queue));
            Assert.True(SqsErrors.IsQueueDeletedRecently(refusal), $"expected QueueDeletedRecently, got {refusal.ErrorCode}: {refusal.Message}");
        }

        // ...and the transport waits it out instead of failing the sidecar's start.
        await admin.EnsureQueueAsync(new QueueSpec(queue), default).AsTask().WaitAsync(Patience);
        await transport.SendAsync(queue, new OutgoingMessage(Encoding.UTF8.GetBytes("after")), default);
        var batch = await transport.ReceiveAsync(queue, new ReceiveOptions(10, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1)), default);

        Assert.Equal("after", Encoding.UTF8.GetString(Assert.Single(batch).Body.Span));
    }

    private async Task<ITransport> CreateTransportAsync()
    {
        var transport = (ITransport)new SnsSqsTransportFactory().Create(new TestServices());
        await transport.InitAsync(
            ComponentSpec.Create(
                "lifecycle",
                SnsSqsTransportFactory.Type,
                ("endpoint", _endpoint), ("region", "us-east-1"), ("accessKey", SqsTestEnvironment.AccessKey), ("secretKey", SqsTestEnvironment.SecretKey)),
            default);
        return transport;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
