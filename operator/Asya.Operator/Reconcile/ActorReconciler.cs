using Asya.Runtime.Protocol;
using System.Net;
using System.Text.Json.Nodes;
using Asya.Operator.Building;
using Asya.Operator.Kube;
using Asya.Operator.Model;
using k8s.Autorest;
using Microsoft.Extensions.Logging;

namespace Asya.Operator.Reconcile;

/// <summary>
/// Level-triggered reconcile of one AsyncActor: finalizer, components, queue, owned objects (created, or replaced
/// only when their desired-state hash changed), stale objects removed, status written only when it changed. A
/// reconcile of an actor that is already converged makes no write.
/// </summary>
internal sealed class ActorReconciler(
    KubeApi api, ComponentSource components, QueueManager queues, OperatorSettings settings, TimeProvider timeProvider, ILogger<ActorReconciler> logger)
{
    public const string Finalizer = "asya.sh/finalizer";

    public async Task<ReconcileResult> ReconcileAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var key = $"{ns}/{name}";
        var actorObject = await api.GetAsync(ResourceKind.AsyncActors, ns, name, cancellationToken).ConfigureAwait(false);
        if (actorObject is null)
        {
            return ReconcileResult.Done;
        }

        if (actorObject["metadata"]?["deletionTimestamp"] is not null)
        {
            await FinalizeAsync(key, actorObject, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        var generation = actorObject["metadata"]?["generation"]?.GetValue<long>() ?? 0;
        ActorModel actor;
        try
        {
            actor = ActorModelReader.Read(actorObject, ns);
        }
        catch (ActorSpecException ex)
        {
            logger.ActorProblem(key, ex.Message);
            await WriteStatusAsync(actorObject, new ActorStatus
            {
                ObservedGeneration = generation,
                Phase = "Error",
                Conditions = [ActorCondition.False(ActorCondition.WorkloadReady, "ValidationError", ex.Message)],
            }, cancellationToken).ConfigureAwait(false);

            // Only a spec change can fix it, and that is an event.
            return ReconcileResult.Done;
        }

        if (settings.ManageQueues && !HasFinalizer(actorObject))
        {
            var withFinalizer = (JsonObject)actorObject.DeepClone();
            var metadata = (JsonObject)withFinalizer["metadata"]!;
            var finalizers = metadata["finalizers"] as JsonArray ?? [];
            finalizers.Add(Finalizer);
            metadata["finalizers"] = finalizers;
            withFinalizer.Remove("status");
            actorObject = await api.ReplaceAsync(ResourceKind.AsyncActors, ns, name, withFinalizer, cancellationToken).ConfigureAwait(false);
            logger.Wrote("added finalizer to", ResourceKind.AsyncActors.ToString(), ns, name);
        }

        RenderedComponents rendered;
        try
        {
            var (available, source) = await components.LoadAsync(ns, cancellationToken).ConfigureAwait(false);
            rendered = ComponentsRenderer.Render(actor, available, source);
            await CheckSharedStoreAsync(actor, rendered, available, source, cancellationToken).ConfigureAwait(false);
        }
        catch (ComponentMissingException ex)
        {
            logger.ActorProblem(key, ex.Message);
            await WriteStatusAsync(actorObject, new ActorStatus
            {
                ObservedGeneration = generation,
                Phase = "Error",
                Actor = actor.Actor,
                Queue = actor.Queue,
                Conditions =
                [
                    ActorCondition.False(ActorCondition.TransportReady, ex.Reason, ex.Message),
                    ActorCondition.Unknown(ActorCondition.WorkloadReady, "WaitingForTransport", "no workload is created until the transport component exists"),
                ],
            }, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Retry;
        }

        var transportMessage = $"component '{rendered.Transport}'";
        if (settings.ManageQueues)
        {
            try
            {
                var ensured = await queues.EnsureAsync(actor.Queue, rendered, cancellationToken).ConfigureAwait(false);
                transportMessage += ensured ? $"; queue {actor.Queue} ensured" : "; the transport cannot create queues, the sidecar ensures its own";
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var message = $"component '{rendered.Transport}': ensuring queue {actor.Queue} failed: {ex.Message}";
                logger.ActorProblem(key, message);
                await WriteStatusAsync(actorObject, new ActorStatus
                {
                    ObservedGeneration = generation,
                    Phase = "Error",
                    Actor = actor.Actor,
                    Transport = rendered.Transport,
                    Queue = actor.Queue,
                    Conditions = [ActorCondition.False(ActorCondition.TransportReady, "QueueError", message)],
                }, cancellationToken).ConfigureAwait(false);
                return ReconcileResult.Retry;
            }
        }

        if (!actor.IsCrew && actor.Runtime == Asya.Runtime.Protocol.RuntimeKind.Python)
        {
            await ApplyAsync(new DesiredObject(ResourceKind.ConfigMaps, KubeJson.ToJson(RuntimeConfigMapBuilder.Build(ns, settings))), null, cancellationToken).ConfigureAwait(false);
        }

        JsonObject? deployment = null;
        foreach (var desired in ActorObjectsBuilder.Build(actor, settings, rendered))
        {
            var applied = await ApplyAsync(desired, actor, cancellationToken).ConfigureAwait(false);
            if (desired.Kind == ResourceKind.Deployments)
            {
                deployment = applied;
            }
        }

        if (!actor.Scaling.Enabled)
        {
            await DeleteIfPresentAsync(ResourceKind.ScaledObjects, ns, ObjectNames.ScaledObject(actor), cancellationToken).ConfigureAwait(false);
        }

        if (rendered.SecretNames.Count == 0)
        {
            var access = ObjectNames.SecretAccess(actor);
            await DeleteIfPresentAsync(ResourceKind.RoleBindings, ns, access, cancellationToken).ConfigureAwait(false);
            await DeleteIfPresentAsync(ResourceKind.Roles, ns, access, cancellationToken).ConfigureAwait(false);
            await DeleteIfPresentAsync(ResourceKind.ServiceAccounts, ns, access, cancellationToken).ConfigureAwait(false);
        }

        var desiredReplicas = Int(deployment?["spec"]?["replicas"]);
        var ready = Int(deployment?["status"]?["readyReplicas"]) ?? 0;
        var phase = StatusBuilder.Phase(true, true, actor.Scaling.Enabled, desiredReplicas, ready);
        long? depth = null, inFlight = null;
        try
        {
            if (await queues.DepthAsync(actor.Queue, rendered, cancellationToken).ConfigureAwait(false) is { } d)
            {
                (depth, inFlight) = (d.Ready + d.Delayed, d.InFlight);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.DepthUnavailable(key, ex.Message);
        }

        var workloadReady = phase is "Ready" or "Napping";
        await WriteStatusAsync(actorObject, new ActorStatus
        {
            ObservedGeneration = generation,
            Phase = phase,
            Actor = actor.Actor,
            Transport = rendered.Transport,
            Queue = actor.Queue,
            Replicas = desiredReplicas ?? 1,
            ReadyReplicas = ready,
            QueueDepth = depth,
            InFlight = inFlight,
            Conditions =
            [
                ActorCondition.True(ActorCondition.TransportReady, "TransportValidated", transportMessage),
                workloadReady
                    ? ActorCondition.True(ActorCondition.WorkloadReady, "WorkloadReady", $"{ready}/{desiredReplicas ?? 1} replicas ready")
                    : ActorCondition.False(ActorCondition.WorkloadReady, "PodsNotReady", $"{ready}/{desiredReplicas ?? 1} replicas ready"),
                actor.Scaling.Enabled
                    ? ActorCondition.True(ActorCondition.ScalingReady, "ScaledObjectApplied", $"KEDA scales {actor.Scaling.MinReplicaCount}..{actor.Scaling.MaxReplicaCount} on queue {actor.Queue}")
                    : ActorCondition.True(ActorCondition.ScalingReady, "ScalingDisabled", $"fixed {actor.Replicas} replicas"),
            ],
        }, cancellationToken).ConfigureAwait(false);
        return ReconcileResult.Done;
    }

    /// <summary>
    /// x-pause and x-resume are two AsyncActors: each checks that the other (when it exists and is valid; it reports its
    /// own errors) resolves the same checkpoint store, so a mismatch shows on both.
    /// </summary>
    private async Task CheckSharedStoreAsync(
        ActorModel actor, RenderedComponents rendered, IReadOnlyDictionary<string, JsonObject> available, string source, CancellationToken cancellationToken)
    {
        if (CrewStateStore.PartnerOf(actor.Builtin) is not { } role)
        {
            return;
        }

        foreach (var other in await api.ListAsync(ResourceKind.AsyncActors, actor.Namespace, null, cancellationToken).ConfigureAwait(false))
        {
            if (other["spec"]?["builtin"] is not JsonValue builtin || builtin.ToString() != role || other["metadata"]?["deletionTimestamp"] is not null)
            {
                continue;
            }

            string? store;
            ActorModel partner;
            try
            {
                partner = ActorModelReader.Read(other, actor.Namespace);
                store = CrewStateStore.Choose(partner, available, source);
            }
            catch (Exception ex) when (ex is ActorSpecException or ComponentMissingException)
            {
                continue;
            }

            CrewStateStore.CheckShared(actor, rendered.StateStore, partner, store);
        }
    }

    private async Task FinalizeAsync(string key, JsonObject actorObject, CancellationToken cancellationToken)
    {
        if (!HasFinalizer(actorObject))
        {
            return;
        }

        var metadata = (JsonObject)actorObject["metadata"]!;
        var ns = metadata["namespace"]!.GetValue<string>();
        var name = metadata["name"]!.GetValue<string>();
        if (settings.ManageQueues)
        {
            try
            {
                var actor = ActorModelReader.Read(actorObject, ns);
                var (available, source) = await components.LoadAsync(ns, cancellationToken).ConfigureAwait(false);
                var rendered = ComponentsRenderer.Render(actor, available, source);
                await queues.DeleteAsync(actor.Queue, rendered, cancellationToken).ConfigureAwait(false);
                await DeleteIfPresentAsync(ResourceKind.ScaledObjects, ns, ObjectNames.ScaledObject(actor), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A queue that cannot be deleted must not keep the AsyncActor (and the namespace) from going away.
                // spec.actor names the queue (metadata.name only when it is absent), even when the spec cannot be read.
                var actorName = (actorObject["spec"] as JsonObject)?["actor"] is JsonValue value && value.TryGetValue<string>(out var fromSpec)
                    && fromSpec.Length > 0 ? fromSpec : name;
                logger.QueueDeleteFailed(key, ActorNames.Queue(ns, actorName), ex.Message);
            }
        }

        var updated = (JsonObject)actorObject.DeepClone();
        var remaining = new JsonArray([.. ((updated["metadata"]!["finalizers"] as JsonArray) ?? [])
            .Select(f => f?.GetValue<string>())
            .Where(f => f is not null && f != Finalizer)
            .Select(f => (JsonNode)f!)]);
        updated["metadata"]!["finalizers"] = remaining;
        updated.Remove("status");
        await api.ReplaceAsync(ResourceKind.AsyncActors, ns, name, updated, cancellationToken).ConfigureAwait(false);
        logger.Wrote("removed finalizer from", ResourceKind.AsyncActors.ToString(), ns, name);
    }

    /// <summary>Creates the object, or replaces it when its desired-state hash differs from the one it carries.</summary>
    private async Task<JsonObject> ApplyAsync(DesiredObject desired, ActorModel? actor, CancellationToken cancellationToken)
    {
        var body = (JsonObject)desired.Body.DeepClone();
        var metadata = (JsonObject)body["metadata"]!;
        var ns = metadata["namespace"]!.GetValue<string>();
        var hash = ObjectHash.Of(body);
        var annotations = metadata["annotations"] as JsonObject ?? [];
        annotations[Labels.SpecHash] = hash;
        metadata["annotations"] = annotations;

        var actual = await api.GetAsync(desired.Kind, ns, desired.Name, cancellationToken).ConfigureAwait(false);
        if (actual is null)
        {
            try
            {
                var created = await api.CreateAsync(desired.Kind, ns, body, cancellationToken).ConfigureAwait(false);
                logger.Wrote("created", desired.Kind.ToString(), ns, desired.Name);
                return created;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict && actor is null)
            {
                // The shared runtime ConfigMap: another worker created it first.
                return await api.GetAsync(desired.Kind, ns, desired.Name, cancellationToken).ConfigureAwait(false) ?? body;
            }
        }

        if (actual["metadata"]?["annotations"]?[Labels.SpecHash]?.GetValue<string>() == hash)
        {
            return actual;
        }

        metadata["resourceVersion"] = actual["metadata"]?["resourceVersion"]?.DeepClone();
        if (desired.Kind == ResourceKind.Deployments && body["spec"]?["replicas"] is null && actual["spec"]?["replicas"] is { } current)
        {
            // KEDA's HPA owns the count: carry it over instead of resetting it.
            body["spec"]!["replicas"] = current.DeepClone();
        }

        var replaced = await api.ReplaceAsync(desired.Kind, ns, desired.Name, body, cancellationToken).ConfigureAwait(false);
        logger.Wrote("updated", desired.Kind.ToString(), ns, desired.Name);
        return replaced;
    }

    private async Task DeleteIfPresentAsync(ResourceKind kind, string ns, string name, CancellationToken cancellationToken)
    {
        if (await api.GetAsync(kind, ns, name, cancellationToken).ConfigureAwait(false) is not null)
        {
            await api.DeleteAsync(kind, ns, name, cancellationToken).ConfigureAwait(false);
            logger.Wrote("deleted", kind.ToString(), ns, name);
        }
    }

    private async Task WriteStatusAsync(JsonObject actorObject, ActorStatus status, CancellationToken cancellationToken)
    {
        var previous = actorObject["status"] as JsonObject;
        var next = StatusBuilder.Build(status, previous, timeProvider.GetUtcNow());
        if (previous is not null && JsonNode.DeepEquals(ObjectHash.Canonical(previous), ObjectHash.Canonical(next)))
        {
            return;
        }

        var body = (JsonObject)actorObject.DeepClone();
        body["status"] = next;
        var metadata = (JsonObject)body["metadata"]!;
        await api.ReplaceStatusAsync(
            ResourceKind.AsyncActors, metadata["namespace"]!.GetValue<string>(), metadata["name"]!.GetValue<string>(), body, cancellationToken).ConfigureAwait(false);
    }

    private static bool HasFinalizer(JsonObject obj) =>
        (obj["metadata"]?["finalizers"] as JsonArray ?? []).Any(f => f?.GetValue<string>() == Finalizer);

    private static int? Int(JsonNode? node) => node is JsonValue v && v.TryGetValue<int>(out var i) ? i : node is JsonValue w && w.TryGetValue<long>(out var l) ? (int)l : null;
}
