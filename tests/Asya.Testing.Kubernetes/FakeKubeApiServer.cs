using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Asya.Testing.Kubernetes;

/// <summary>
/// An in-process Kubernetes API server on loopback HTTP, enough for KubernetesClient: discovery (<c>/api</c>,
/// <c>/apis</c>, group versions), CRUD on any registered resource, list and watch (<c>?watch=true</c>, JSON lines) with
/// resourceVersions and label selectors, 409 on stale writes, the status subresource, merge and JSON patch,
/// finalizers and owner-reference garbage collection (see <see cref="FakeKubeStore"/>). Every write request is counted.
/// </summary>
public sealed class FakeKubeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<string> _writes = [];

    private FakeKubeApiServer(WebApplication app, FakeKubeStore store)
    {
        _app = app;
        Store = store;
    }

    public FakeKubeStore Store { get; }

    public Uri BaseUri { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Awaited before every request is answered (a test makes the server hang on some requests).</summary>
    public Func<HttpRequest, CancellationToken, Task>? BeforeRequest { get; set; }

    /// <summary>Write requests (POST, PUT, PATCH, DELETE) received so far, including failed ones.</summary>
    public int WriteCount
    {
        get
        {
            lock (_gate)
            {
                return _writes.Count;
            }
        }
    }

    /// <summary>The write requests received, as <c>METHOD path</c>, oldest first.</summary>
    public IReadOnlyList<string> Writes
    {
        get
        {
            lock (_gate)
            {
                return [.. _writes];
            }
        }
    }

    public static async Task<FakeKubeApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeKubeApiServer(app, new FakeKubeStore());
        app.Run(server.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return server;
    }

    /// <summary>A kubeconfig file pointing at this server (for components configured by <c>kubeconfigPath</c>).</summary>
    public string WriteKubeconfig(string path, string ns = "default")
    {
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: {BaseUri.ToString().TrimEnd('/')}
            users:
            - name: fake
              user:
                token: fake-token
            contexts:
            - name: fake
              context:
                cluster: fake
                user: fake
                namespace: {ns}
            current-context: fake
            """);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Store.CloseWatches();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Method is "POST" or "PUT" or "PATCH" or "DELETE")
        {
            lock (_gate)
            {
                _writes.Add($"{request.Method} {request.Path}");
            }
        }

        if (BeforeRequest is { } before)
        {
            using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            await before(request, aborted.Token).ConfigureAwait(false);
        }

        try
        {
            var segments = request.Path.Value!.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
            await RouteAsync(context, segments).ConfigureAwait(false);
        }
        catch (ApiError error)
        {
            await WriteStatusAsync(context.Response, error.Code, error.Reason, error.Message).ConfigureAwait(false);
        }
        catch (PatchTestFailedException ex)
        {
            await WriteStatusAsync(context.Response, HttpStatusCode.UnprocessableEntity, "Invalid", ex.Message).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            await WriteStatusAsync(context.Response, HttpStatusCode.BadRequest, "BadRequest", ex.Message).ConfigureAwait(false);
        }
    }

    private async Task RouteAsync(HttpContext context, string[] s)
    {
        // /api, /apis, /api/v1, /apis/<group>, /apis/<group>/<version>
        switch (s)
        {
            case ["api"]:
                await WriteJsonAsync(context.Response, new JsonObject { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1") }).ConfigureAwait(false);
                return;
            case ["apis"]:
                await WriteJsonAsync(context.Response, GroupList()).ConfigureAwait(false);
                return;
            case ["api", var v]:
                await WriteJsonAsync(context.Response, ResourceList("", v)).ConfigureAwait(false);
                return;
            case ["apis", var g]:
                await WriteJsonAsync(context.Response, Group(g) ?? throw ApiError.NotFound($"group {g}")).ConfigureAwait(false);
                return;
            case ["apis", var g, var v]:
                await WriteJsonAsync(context.Response, ResourceList(g, v)).ConfigureAwait(false);
                return;
        }

        string group, version;
        string[] rest;
        if (s.Length >= 3 && s[0] == "api")
        {
            (group, version, rest) = ("", s[1], s[2..]);
        }
        else if (s.Length >= 4 && s[0] == "apis")
        {
            (group, version, rest) = (s[1], s[2], s[3..]);
        }
        else
        {
            throw ApiError.NotFound($"path {context.Request.Path}");
        }

        string? ns = null;
        if (rest.Length >= 3 && rest[0] == "namespaces")
        {
            ns = rest[1];
            rest = rest[2..];
        }

        var resource = Store.Find(group, version, rest[0]) ?? throw ApiError.NotFound($"the server could not find the requested resource ({rest[0]}.{group}/{version})");
        var name = rest.Length > 1 ? rest[1] : null;
        var status = rest.Length > 2 && rest[2] == "status";
        if (rest.Length > 2 && !status)
        {
            throw ApiError.NotFound($"subresource {rest[2]}");
        }

        if (status && !resource.HasStatus)
        {
            throw ApiError.NotFound($"status subresource of {resource.Plural}");
        }

        var request = context.Request;
        switch (request.Method, name)
        {
            case ("GET", null) when IsWatch(request):
                await WatchAsync(context, resource, ns).ConfigureAwait(false);
                return;
            case ("GET", null):
                var items = Store.List(resource, ns, request.Query["labelSelector"]);
                var fieldName = FieldName(request);
                await WriteJsonAsync(context.Response, new JsonObject
                {
                    ["apiVersion"] = resource.ApiVersion,
                    ["kind"] = resource.Kind + "List",
                    ["metadata"] = new JsonObject { ["resourceVersion"] = Store.CurrentResourceVersion.ToString(CultureInfo.InvariantCulture) },
                    ["items"] = new JsonArray([.. items.Where(i => fieldName is null || i["metadata"]?["name"]?.GetValue<string>() == fieldName)]),
                }).ConfigureAwait(false);
                return;
            case ("GET", _):
                await WriteJsonAsync(context.Response, Store.Get(resource, ns ?? "", name) ?? throw ApiError.NotFound($"{resource.Plural}.{resource.Group} \"{name}\"")).ConfigureAwait(false);
                return;
            case ("POST", null):
                var created = Store.Create(resource, ns ?? "", await ReadBodyAsync(request).ConfigureAwait(false));
                await WriteJsonAsync(context.Response, created, HttpStatusCode.Created).ConfigureAwait(false);
                return;
            case ("PUT", { } n):
                await WriteJsonAsync(context.Response, Store.Replace(resource, ns ?? "", n, await ReadBodyAsync(request).ConfigureAwait(false), status)).ConfigureAwait(false);
                return;
            case ("PATCH", { } n):
                await WriteJsonAsync(context.Response, await PatchAsync(request, resource, ns ?? "", n, status).ConfigureAwait(false)).ConfigureAwait(false);
                return;
            case ("DELETE", { } n):
                await WriteJsonAsync(context.Response, Store.Delete(resource, ns ?? "", n)).ConfigureAwait(false);
                return;
            default:
                throw new ApiError(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", $"{request.Method} is not supported on {request.Path}");
        }
    }

    private async Task<JsonObject> PatchAsync(HttpRequest request, ApiResource resource, string ns, string name, bool status)
    {
        var current = Store.Get(resource, ns, name) ?? throw ApiError.NotFound($"{resource.Plural}.{resource.Group} \"{name}\"");
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync().ConfigureAwait(false);
        var patch = JsonNode.Parse(text);
        var contentType = request.ContentType ?? string.Empty;
        JsonObject next = contentType.StartsWith("application/json-patch+json", StringComparison.Ordinal)
            ? JsonPatch.Apply(current, patch as JsonArray ?? throw ApiError.BadRequest("a JSON patch must be an array"))
            : (JsonObject)JsonPatch.Merge(current, patch)!;

        // A patch only conflicts when it names a resourceVersion itself.
        var given = (patch as JsonObject)?["metadata"]?["resourceVersion"];
        if (given is null && next["metadata"] is JsonObject metadata)
        {
            metadata.Remove("resourceVersion");
        }

        return Store.Replace(resource, ns, name, next, status);
    }

    private async Task WatchAsync(HttpContext context, ApiResource resource, string? ns)
    {
        var request = context.Request;
        long? since = long.TryParse(request.Query["resourceVersion"], NumberStyles.None, CultureInfo.InvariantCulture, out var rv) && rv > 0 ? rv : null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        if (int.TryParse(request.Query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        var events = Store.Watch(resource, ns, request.Query["labelSelector"], FieldName(request), since, stop.Token);
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        await response.StartAsync(stop.Token).ConfigureAwait(false);
        try
        {
            await foreach (var e in events.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                var line = new JsonObject { ["type"] = e.Type, ["object"] = e.Body.DeepClone() }.ToJsonString() + "\n";
                await response.WriteAsync(line, stop.Token).ConfigureAwait(false);
                await response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
    }

    private JsonObject GroupList()
    {
        var groups = Store.Resources.Where(r => r.Group.Length > 0).Select(r => r.Group).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return new JsonObject
        {
            ["kind"] = "APIGroupList",
            ["apiVersion"] = "v1",
            ["groups"] = new JsonArray([.. groups.Select(g => (JsonNode)Group(g)!)]),
        };
    }

    private JsonObject? Group(string group)
    {
        var versions = Store.Resources.Where(r => r.Group == group).Select(r => r.Version).Distinct(StringComparer.Ordinal).ToList();
        if (versions.Count == 0)
        {
            return null;
        }

        JsonObject Version(string v) => new() { ["groupVersion"] = $"{group}/{v}", ["version"] = v };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray([.. versions.Select(v => (JsonNode)Version(v))]),
            ["preferredVersion"] = Version(versions[0]),
        };
    }

    private JsonObject ResourceList(string group, string version)
    {
        var resources = Store.Resources.Where(r => r.Group == group && r.Version == version).ToList();
        if (resources.Count == 0)
        {
            throw ApiError.NotFound($"the server could not find the requested resource (group version {group}/{version})");
        }

        var list = new JsonArray();
        foreach (var r in resources)
        {
            list.Add(new JsonObject
            {
                ["name"] = r.Plural,
                ["singularName"] = r.Singular,
                ["namespaced"] = r.Namespaced,
                ["kind"] = r.Kind,
                ["verbs"] = new JsonArray("create", "delete", "get", "list", "patch", "update", "watch"),
            });
            if (r.HasStatus)
            {
                list.Add(new JsonObject
                {
                    ["name"] = r.Plural + "/status",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = r.Namespaced,
                    ["kind"] = r.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = list,
        };
    }

    private static bool IsWatch(HttpRequest request) => request.Query["watch"].ToString() is "true" or "1" or "True";

    private static string? FieldName(HttpRequest request)
    {
        var selector = request.Query["fieldSelector"].ToString();
        const string prefix = "metadata.name=";
        return selector.StartsWith(prefix, StringComparison.Ordinal) ? selector[prefix.Length..] : null;
    }

    private static async Task<JsonObject> ReadBodyAsync(HttpRequest request)
    {
        var node = await JsonNode.ParseAsync(request.Body).ConfigureAwait(false);
        return node as JsonObject ?? throw ApiError.BadRequest("the request body must be a JSON object");
    }

    private static async Task WriteJsonAsync(HttpResponse response, JsonNode body, HttpStatusCode code = HttpStatusCode.OK)
    {
        response.StatusCode = (int)code;
        response.ContentType = "application/json";
        await response.WriteAsync(body.ToJsonString()).ConfigureAwait(false);
    }

    private static Task WriteStatusAsync(HttpResponse response, HttpStatusCode code, string reason, string message) =>
        WriteJsonAsync(response, new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = (int)code,
        }, code);
}
