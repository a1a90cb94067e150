using Asya.Gateway.Tests.Infrastructure;
using Asya.Mesh.Client;
using Asya.Runtime.Protocol;
using Asya.Testing;

namespace Asya.Gateway.Tests.Api;

/// <summary>An actor whose spec.transport names a component gets its envelopes through that component, as its sidecar reads them.</summary>
public sealed class ActorTransportTests
{
    [Fact]
    public async Task Submit_ActorOnItsOwnTransport_SentThroughIt_OthersNeedADefault()
    {
        using var manifests = new TempDirectory();
        foreach (var name in new[] { "main", "side" })
        {
            await File.WriteAllTextAsync(manifests.Combine(name + ".yaml"), $"""
                apiVersion: dapr.io/v1alpha1
                kind: Component
                metadata:
                  name: {name}
                spec:
                  type: pubsub.sqlite
                  version: v1
                  metadata:
                  - name: path
                    value: "{manifests.Combine(name + ".db")}"
                """);
        }

        await using var gateway = await GatewayFixture.StartAsync(
            o => o with { ResourcesPaths = [manifests.Path], ActorTransports = new Dictionary<string, string> { ["echo"] = "side" } });

        await gateway.SubmitOkAsync("""{"flow":"echo","payload":1}""");

        var queue = ActorNames.Queue(ActorNames.DefaultNamespace, "echo");
        Assert.Equal(1, await DepthAsync(manifests.Path, gateway.DataDirectory, "side", queue));
        Assert.Equal(0, await DepthAsync(manifests.Path, gateway.DataDirectory, "main", queue));

        // Two transports and none named for tokenize: the send fails naming the queue, the task is failed.
        using var response = await gateway.SubmitAsync("""{"flow":"summarize","payload":1}""");
        var body = await response.Content.ReadAsStringAsync();
        Assert.False(response.IsSuccessStatusCode, body);
        Assert.Contains("asya-default-tokenize", body, StringComparison.Ordinal);
    }

    private static async Task<long?> DepthAsync(string manifests, string dataDirectory, string transport, string queue)
    {
        await using var mesh = await MeshConnector.ConnectAsync(
            new MeshClientOptions { ResourcesPaths = [manifests], DataDirectory = Path.Combine(dataDirectory, "probe") }, transport, default);
        return await mesh.GetDepthAsync(queue, default);
    }
}
