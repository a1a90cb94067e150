using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Components;
using Asya.Components.Abstractions;
using Asya.Runtime.Protocol;
using Asya.Testing;
using Asya.Testing.Brokers;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Asya.Cli.Tests.EndToEnd;

/// <summary>
/// The examples on real brokers, each selected by adding the broker's Dapr manifest from <c>examples/brokers/</c> with
/// <c>--resources-path</c>: the pipeline must behave exactly as on the embedded default, and survive a broker restart.
/// </summary>
public sealed class BrokerEndToEndTests
{
    private const string RedisVariable = "ASYA_TEST_REDIS";
    private const string SqsVariable = "ASYA_TEST_SQS";
    private const string PubSubVariable = "ASYA_TEST_PUBSUB";
    private const string RabbitMqVariable = "ASYA_TEST_RABBITMQ";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [BrokerFact(RedisVariable, "redis")]
    public Task Run_TextPipelineOnRedis_SameRouteAsEmbedded() => RunTextPipelineAsync("redis", new BrokerEnvironment(RedisVariable, "redis"));

    [BrokerFact(RedisVariable, "redis")]
    public Task Up_RedisRestartedMidStream_AllThousandEnvelopesArrive() =>
        RestartMidStreamAsync("redis", new BrokerEnvironment(RedisVariable, "redis"));

    [BrokerFact(SqsVariable, "sqs")]
    public Task Run_TextPipelineOnSqs_SameRouteAsEmbedded() => RunTextPipelineAsync("sqs", new BrokerEnvironment(SqsVariable, "sqs"));

    [BrokerFact(PubSubVariable, "pubsub")]
    public Task Run_TextPipelineOnPubSub_SameRouteAsEmbedded() => RunTextPipelineAsync("pubsub", new BrokerEnvironment(PubSubVariable, "pubsub"));

    [BrokerFact(RabbitMqVariable, "rabbitmq")]
    public Task Run_TextPipelineOnRabbitMq_SameRouteAsEmbedded() => RunTextPipelineAsync("rabbitmq", new BrokerEnvironment(RabbitMqVariable, "rabbitmq"));

    /// <summary>Dapr's docs page example with every key (reconnectWait: 0 included), only the host name filled in.</summary>
    [BrokerFact(RabbitMqVariable, "rabbitmq")]
    public Task Run_TextPipelineOnRabbitMqDocsPageManifest_SameRouteAsEmbedded() =>
        RunTextPipelineAsync(DocsManifests("rabbitmq-docs-page", new Uri(Environment.GetEnvironmentVariable(RabbitMqVariable)!).Host));

    /// <summary>Dapr's docs page example for Redis Streams, and the state store of <c>dapr init</c>, only host names filled in.</summary>
    [BrokerFact(RedisVariable, "redis")]
    public Task Run_TextPipelineOnRedisDocsPageManifests_SameRouteAsEmbedded() =>
        RunTextPipelineAsync(DocsManifests(
            ["redis-docs-page/pubsub-redis.yaml", "redis-dapr-init/statestore.yaml"], Environment.GetEnvironmentVariable(RedisVariable)!.Split(':')[0]));

    [BrokerFact(RabbitMqVariable, "rabbitmq")]
    public Task Up_RabbitMqRestartedMidStream_AllThousandEnvelopesArrive() =>
        RestartMidStreamAsync("rabbitmq", new BrokerEnvironment(RabbitMqVariable, "rabbitmq"));

    private static readonly string Corpus = Path.Combine(RepoPaths.Root, "tests", "Asya.Cli.Tests", "DaprCorpus");

    private static TempDirectory DocsManifests(string corpusCase, string host) =>
        DocsManifests([.. Directory.GetFiles(Path.Combine(Corpus, corpusCase), "*.yaml").Select(f => Path.GetRelativePath(Corpus, f))], host);

    /// <summary>Corpus manifests copied unchanged but for <c>localhost</c>, which becomes the test broker's host.</summary>
    private static TempDirectory DocsManifests(string[] corpusFiles, string host)
    {
        var dir = new TempDirectory();
        foreach (var file in corpusFiles)
        {
            File.WriteAllText(dir.Combine(Path.GetFileName(file)), File.ReadAllText(Path.Combine(Corpus, file)).Replace("localhost", host, StringComparison.Ordinal));
        }

        return dir;
    }

    private static async Task RunTextPipelineAsync(TempDirectory manifests)
    {
        using (manifests)
        {
            await RunWithManifestsAsync(manifests.Path);
        }
    }

    /// <summary>A fresh mesh namespace, so queues left by earlier runs on a shared broker never interfere.</summary>
    private static string UniqueNamespace() => "e2e" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The example manifest of <paramref name="broker"/>, pointed at the broker of <paramref name="environment"/>.</summary>
    private static async Task RunTextPipelineAsync(string broker, BrokerEnvironment environment)
    {
        using var manifest = new BrokerManifest(broker, environment);
        await RunWithManifestsAsync(manifest.Folder);
    }

    private static async Task RunWithManifestsAsync(string manifests)
    {
        using var folder = new ExampleFolder("text-pipeline");
        await File.AppendAllTextAsync(folder.Combine("asya.yaml"), $"\nnamespace: {UniqueNamespace()}\n");

        var (code, stdout, stderr) = await AsyaProcess.RunAsync(
            Deadline, null, "run", folder.Path, "--resources-path", manifests, "--payload", """{"text":"The invoice total is 42 euros."}""");

        Assert.True(code == 0, stderr);
        var envelope = JsonNode.Parse(stdout)!.AsObject();
        Assert.Equal("succeeded", envelope["status"]!["phase"]!.GetValue<string>());
        Assert.Equal(["validate", "judge", "store"], envelope["route"]!["prev"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(0, QueueRows(folder));
    }

    private static async Task RestartMidStreamAsync(string broker, BrokerEnvironment environment)
    {
        const int total = 1000;
        using var manifest = new BrokerManifest(broker, environment);
        using var folder = new TempDirectory();
        var meshNamespace = UniqueNamespace();
        await File.WriteAllTextAsync(folder.Combine("echo.py"), "def handle(payload):\n    return payload\n");
        await File.WriteAllTextAsync(folder.Combine("asya.yaml"), $"route: [echo]\nnamespace: {meshNamespace}\n");
        using var up = AsyaProcess.Start(null, "up", folder.Path, "--resources-path", manifest.Folder, "--gateway-addr", "127.0.0.1:0");
        await up.WaitForStderrAsync(l => l.Contains("sidecars ready", StringComparison.Ordinal), Deadline);

        await using (var sender = await BrokerSender.CreateAsync(manifest.Folder, meshNamespace))
        {
            for (var i = 0; i < total; i++)
            {
                await sender.SendAsync($"asya-{meshNamespace}-echo", Envelope("echo", i));
            }
        }

        await Eventually.TrueAsync(() => Task.FromResult(Results(folder.Path) >= total / 5), Deadline, "the first results before the restart");
        await environment.RestartAsync();

        await Eventually.TrueAsync(() => Task.FromResult(Results(folder.Path) >= total), TimeSpan.FromMinutes(3), $"all {total} results after the restart");
        Assert.Equal(total, Results(folder.Path));
        Assert.True(Asya.Cli.Local.NativeSignals.Terminate(up.Id));
        Assert.Equal(0, await up.WaitForExitAsync(Deadline));
    }

    private static byte[] Envelope(string actor, int index) => new Envelope
    {
        Id = $"restart-{index:D4}",
        Route = Route.Start([actor]),
        Payload = JsonDocument.Parse(Encoding.UTF8.GetBytes($$"""{"i":{{index}}}""")).RootElement,
    }.ToUtf8Bytes();

    /// <summary>Distinct envelopes x-sink stored (ids are keys, so a redelivered duplicate counts once).</summary>
    private static long Results(string folder) => Count(Path.Combine(folder, ".asya", "asya.db"), "asya_results");

    private static long QueueRows(ExampleFolder folder) => Count(folder.Combine(".asya", "asya.db"), "asya_messages");

    private static long Count(string database, string table)
    {
        if (!File.Exists(database))
        {
            return 0;
        }

        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        try
        {
            return (long)command.ExecuteScalar()!;
        }
        catch (SqliteException ex) when (ex.Message.Contains("no such table", StringComparison.Ordinal))
        {
            return 0;
        }
    }

    /// <summary>The broker's transport built from the same manifest the sidecars load.</summary>
    private sealed class BrokerSender : IAsyncDisposable
    {
        private readonly ServiceProvider _services;
        private readonly LoadedComponents _loaded;
        private readonly ITransport _transport;

        private BrokerSender(ServiceProvider services, LoadedComponents loaded, ITransport transport)
        {
            _services = services;
            _loaded = loaded;
            _transport = transport;
        }

        public static async Task<BrokerSender> CreateAsync(string manifests, string meshNamespace)
        {
            var services = new ServiceCollection()
                .AddLogging()
                .AddSingleton(TimeProvider.System)
                .AddSingleton(new ComponentLoaderOptions { AppId = "e2e-sender", Namespace = meshNamespace })
                .AddBuiltInComponents()
                .BuildServiceProvider();
            var loaded = await services.GetRequiredService<ComponentLoader>().LoadAsync([manifests], CancellationToken.None);
            var transport = await loaded.CreateAsync<ITransport>(loaded.OfCategory("pubsub.").Single(), CancellationToken.None);
            return new BrokerSender(services, loaded, transport);
        }

        public ValueTask SendAsync(string queue, byte[] body) => _transport.SendAsync(queue, new OutgoingMessage(body), CancellationToken.None);

        public async ValueTask DisposeAsync()
        {
            await _transport.DisposeAsync();
            await _loaded.DisposeAsync();
            await _services.DisposeAsync();
        }
    }
}
