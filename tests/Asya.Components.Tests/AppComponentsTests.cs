using Asya.Components.Abstractions;
using Asya.Components.Tests.Support;
using Asya.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using static Asya.Components.Tests.Support.LoaderFixture;

namespace Asya.Components.Tests;

public sealed class AppComponentsTests : IDisposable
{
    // The embedded defaults are created through the registry like any component; fakes stand in for SQLite here.
    private readonly FakeFactory _pubSub = new(["pubsub.fake", "pubsub.sqlite"], ["host", "connectionString"]);
    private readonly FakeFactory _state = new(["state.fake", "state.sqlite"], ["connectionString", "tableName"]);
    private readonly FakeFactory _sqsBinding = new(["bindings.aws.sqs"], []);
    private readonly FakeFactory _otherBinding = new(["bindings.fake"], []);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ChooseTransport_NoResourcesPath_EmbeddedSqliteOfTheDataDirectory()
    {
        await using var app = await LoadAsync(paths: []);

        var transport = app.ChooseTransport(null, "--transport");
        var store = app.ChooseResultStore(null, "--result-store");

        Assert.True(app.IsEmbedded(transport));
        Assert.True(app.IsEmbedded(store));
        var database = Path.Combine(_dir.Combine("data"), EmbeddedComponents.DatabaseFileName);
        Assert.Equal(("asya-embedded-pubsub", "pubsub.sqlite", database), (transport.Name, transport.Type, transport.Metadata["connectionString"]));
        Assert.Equal(("asya-embedded-state", "state.sqlite", database), (store.Name, store.Type, store.Metadata["connectionString"]));
        Assert.Equal(EmbeddedComponents.ResultsTable, store.Metadata["tableName"]);
    }

    [Fact]
    public async Task ChooseTransport_OnlyOneTransport_ThatOneWhateverItsName()
    {
        Write("a.yaml", Component("bus", "pubsub.fake") + "\n---\n" + Component("results", "state.fake"));
        await using var app = await LoadAsync();

        var transport = app.ChooseTransport(null, "--transport");

        Assert.Equal("bus", transport.Name);
        Assert.False(app.IsEmbedded(transport));
        Assert.Equal("results", app.ChooseResultStore(null, "--result-store").Name);
    }

    [Fact]
    public async Task ChooseTransport_SeveralWithoutName_ErrorNamingTheOption()
    {
        Write("a.yaml", Component("one", "pubsub.fake") + "\n---\n" + Component("two", "pubsub.fake"));
        await using var app = await LoadAsync();

        var error = Assert.Throws<ComponentConfigurationException>(() => app.ChooseTransport(null, "--transport"));

        Assert.Equal("several pubsub.* components for 'orders' (one (pubsub.fake), two (pubsub.fake)); choose the transport with --transport", error.Message);
        Assert.Equal("two", app.ChooseTransport("two", "--transport").Name);
    }

    [Fact]
    public async Task ChooseTransport_NamedButMissing_ErrorListingTheLoadedOnes()
    {
        Write("a.yaml", Component("bus", "pubsub.fake"));
        await using var app = await LoadAsync();

        var error = Assert.Throws<ComponentConfigurationException>(() => app.ChooseTransport("other", "spec.transport"));

        Assert.Equal("spec.transport: no component named 'other' in the resources path; pubsub.* components loaded: bus (pubsub.fake)", error.Message);
    }

    [Fact]
    public async Task ChooseTransport_TransportScopedToOtherApps_ErrorUnlessTheEmbeddedDefaultIsAllowed()
    {
        Write("a.yaml", Component("bus", "pubsub.fake", extra: "scopes: [billing]"));
        await using (var strict = await LoadAsync())
        {
            var error = Assert.Throws<ComponentConfigurationException>(() => strict.ChooseTransport(null, "--transport"));
            Assert.Contains("no transport component is loaded for 'orders'", error.Message, StringComparison.Ordinal);
            Assert.Equal(["bus"], strict.SkippedTransports.Select(s => s.Name));
        }

        await using var allowed = await LoadAsync(allowEmbedded: true);
        Assert.True(allowed.IsEmbedded(allowed.ChooseTransport(null, "--transport")));
    }

    [Fact]
    public async Task Transports_PubSubAndTheSqsBinding_NotOtherBindingsOrStores()
    {
        Write("a.yaml", string.Join("\n---\n",
            Component("bus", "pubsub.fake"), Component("queue", "bindings.aws.sqs"), Component("cron", "bindings.fake"), Component("results", "state.fake")));
        await using var app = await LoadAsync();

        Assert.Equal(["bus", "queue"], app.Transports.Select(s => s.Name));
    }

    [Fact]
    public async Task CreateAsync_EmbeddedDefault_CreatedOnceAndDisposedWithTheApp()
    {
        var app = await LoadAsync(paths: []);
        var spec = app.ChooseTransport(null, "--transport");

        var first = await app.CreateAsync<FakeComponent>(spec, CancellationToken.None);
        var again = await app.CreateAsync<IComponent>(app.ChooseTransport(null, "--transport"), CancellationToken.None);

        Assert.Same(first, again);
        Assert.Single(_pubSub.Created);
        Assert.False(first.Disposed);
        await app.DisposeAsync();
        Assert.True(first.Disposed);
    }

    [Fact]
    public async Task DisposeAsync_DisposesManifestAndEmbeddedComponentsAlike()
    {
        Write("a.yaml", Component("bus", "pubsub.fake"));
        var app = await LoadAsync();
        var bus = await app.CreateAsync<FakeComponent>(app.ChooseTransport(null, "--transport"), CancellationToken.None);
        var store = await app.CreateAsync<FakeComponent>(app.ChooseResultStore(null, "--result-store"), CancellationToken.None);

        await app.DisposeAsync();

        Assert.True(bus.Disposed);
        Assert.True(store.Disposed);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => app.CreateAsync<IComponent>(app.EmbeddedTransport, CancellationToken.None));
    }

    [Fact]
    public async Task LoadAsync_InMemoryDocuments_LoadLikeFilesInNameOrderAndNameThemInMessages()
    {
        var manifests = ManifestReader.Parse(new Dictionary<string, string>
        {
            ["b.yaml"] = Component("results", "state.fake"),
            ["a.yaml"] = Component("bus", "pubsub.fake", "    - {name: host, value: localhost}"),
        });

        await using var loaded = await Loader().LoadAsync(manifests, CancellationToken.None);

        Assert.Equal(["bus", "results"], loaded.Specs.Select(s => s.Name));
        Assert.Equal(("a.yaml", "localhost"), (loaded.Specs[0].SourceFile, loaded.Specs[0].Metadata["host"]));
        Assert.False(Directory.EnumerateFileSystemEntries(_dir.Path).Any());
    }

    [Fact]
    public async Task LoadAsync_InMemoryDocumentWithAnError_FailsNamingTheDocument()
    {
        var manifests = ManifestReader.Parse(new Dictionary<string, string> { ["mesh.yaml"] = Component("bus", "pubsub.nope") });

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(() => Loader().LoadAsync(manifests, CancellationToken.None));

        Assert.StartsWith("component 'bus' (mesh.yaml:1): unknown component type 'pubsub.nope'", error.Message, StringComparison.Ordinal);
    }

    private ComponentLoader Loader() => new(
        new ComponentRegistry([_pubSub, _state, _sqsBinding, _otherBinding]),
        NoServices.Instance,
        NullLogger<ComponentLoader>.Instance,
        new ComponentLoaderOptions { AppId = "orders" });

    private Task<AppComponents> LoadAsync(IReadOnlyList<string>? paths = null, bool allowEmbedded = false) =>
        AppComponents.LoadAsync(
            Loader(),
            new AppComponentsOptions { ResourcesPaths = paths ?? [_dir.Combine("manifests")], DataDirectory = _dir.Combine("data"), AllowEmbeddedDefault = allowEmbedded },
            CancellationToken.None);

    private void Write(string name, string yaml)
    {
        Directory.CreateDirectory(_dir.Combine("manifests"));
        File.WriteAllText(Path.Combine(_dir.Combine("manifests"), name), yaml);
    }
}
