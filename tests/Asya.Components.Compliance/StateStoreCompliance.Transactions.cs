using Asya.Components.Abstractions;
using Asya.Testing;
using Xunit;

namespace Asya.Components.Compliance;

/// <summary>Dapr's state transactions, for the stores that declare <see cref="StateStoreFeatures.Transactional"/>.</summary>
public abstract partial class StateStoreCompliance<TFixture>
{
    [SkippableFact]
    public async Task Transaction_MixedUpsertsAndDeletes_AllApplied()
    {
        await using var store = await Fixture.CreateStateStoreAsync();
        var transactions = RequireTransactions(store);
        var (updated, created, deleted, conditional, absent) = (Fixture.NewKey(), Fixture.NewKey(), Fixture.NewKey(), Fixture.NewKey(), Fixture.NewKey());
        var updatedETag = await store.SetAsync(new StateSetRequest(updated, Bytes("old")), default);
        await store.SetAsync(new StateSetRequest(deleted, Bytes("doomed")), default);
        var conditionalETag = await store.SetAsync(new StateSetRequest(conditional, Bytes("doomed too")), default);

        await transactions.ExecuteTransactionAsync(
            [
                new StateUpsert(new StateSetRequest(updated, Bytes("new")) { ETag = updatedETag }),
                new StateUpsert(new StateSetRequest(created, Bytes("fresh")) { FirstWrite = true }),
                new StateDelete(deleted),
                new StateDelete(conditional, conditionalETag),
                new StateDelete(absent),
            ],
            default);

        var entries = await store.GetBulkAsync([updated, created, deleted, conditional, absent], default);
        Assert.Equal("new", Text(entries[0]));
        Assert.NotEqual(updatedETag, entries[0]?.ETag);
        Assert.Equal("fresh", Text(entries[1]));
        Assert.Null(entries[2]);
        Assert.Null(entries[3]);
        Assert.Null(entries[4]);
    }

    [SkippableFact]
    public async Task Transaction_OneStaleETag_ThrowsMismatchAndWritesNothing()
    {
        await using var store = await Fixture.CreateStateStoreAsync();
        var transactions = RequireTransactions(store);
        var (kept, stale, spared, unborn) = (Fixture.NewKey(), Fixture.NewKey(), Fixture.NewKey(), Fixture.NewKey());
        var keptETag = await store.SetAsync(new StateSetRequest(kept, Bytes("kept")), default);
        var old = await store.SetAsync(new StateSetRequest(stale, Bytes("one")), default);
        var current = await store.SetAsync(new StateSetRequest(stale, Bytes("two")), default);
        var sparedETag = await store.SetAsync(new StateSetRequest(spared, Bytes("spared")), default);

        // The stale ETag is third: the writes before it must be undone, the ones after it never made.
        var error = await Assert.ThrowsAsync<ETagMismatchException>(async () => await transactions.ExecuteTransactionAsync(
            [
                new StateUpsert(new StateSetRequest(kept, Bytes("changed")) { ETag = keptETag }),
                new StateDelete(spared),
                new StateUpsert(new StateSetRequest(stale, Bytes("three")) { ETag = old }),
                new StateUpsert(new StateSetRequest(unborn, Bytes("never"))),
            ],
            default));

        Assert.Contains(stale, error.Message, StringComparison.Ordinal);
        var entries = await store.GetBulkAsync([kept, stale, spared, unborn], default);
        Assert.Equal(("kept", keptETag), (Text(entries[0]), entries[0]?.ETag));
        Assert.Equal(("two", current), (Text(entries[1]), entries[1]?.ETag));
        Assert.Equal(("spared", sparedETag), (Text(entries[2]), entries[2]?.ETag));
        Assert.Null(entries[3]);
    }

    [SkippableFact]
    public async Task Transaction_DeleteOfMissingKeyWithETag_ThrowsMismatchAndWritesNothing()
    {
        await using var store = await Fixture.CreateStateStoreAsync();
        var transactions = RequireTransactions(store);
        var (written, missing) = (Fixture.NewKey(), Fixture.NewKey());

        await Assert.ThrowsAsync<ETagMismatchException>(async () => await transactions.ExecuteTransactionAsync(
            [new StateUpsert(new StateSetRequest(written, Bytes("x"))), new StateDelete(missing, "9999999")],
            default));

        Assert.Null(await store.GetAsync(written, default));
    }

    [SkippableFact]
    public async Task Transaction_FirstWriteOnExistingKey_ThrowsMismatchAndWritesNothing()
    {
        await using var store = await Fixture.CreateStateStoreAsync();
        var transactions = RequireTransactions(store);
        var (existing, other) = (Fixture.NewKey(), Fixture.NewKey());
        var etag = await store.SetAsync(new StateSetRequest(existing, Bytes("first")), default);

        await Assert.ThrowsAsync<ETagMismatchException>(async () => await transactions.ExecuteTransactionAsync(
            [new StateUpsert(new StateSetRequest(other, Bytes("x"))), new StateUpsert(new StateSetRequest(existing, Bytes("second")) { FirstWrite = true })],
            default));

        Assert.Null(await store.GetAsync(other, default));
        Assert.Equal(etag, (await store.GetAsync(existing, default))?.ETag);
    }

    [SkippableFact]
    public async Task Transaction_UpsertWithTtl_ExpiresAndLeavesTheOthers()
    {
        await using var store = await Fixture.CreateStateStoreAsync();
        var transactions = RequireTransactions(store);
        Skip.IfNot(store.Features.Contains(StateStoreFeatures.Ttl), $"{store.GetType().Name} does not declare {StateStoreFeatures.Ttl}");
        var (shortLived, lasting) = (Fixture.NewKey(), Fixture.NewKey());
        // As in Set_WithTtl_ReadableThenExpires: long enough to read back on a stalled machine when the clock is a server's.
        var ttl = TimeSpan.FromSeconds(3);
        var before = Fixture.Clock.GetUtcNow();

        await transactions.ExecuteTransactionAsync(
            [new StateUpsert(new StateSetRequest(shortLived, Bytes("short")) { Ttl = ttl }), new StateUpsert(new StateSetRequest(lasting, Bytes("lasting")))],
            default);

        var entry = await store.GetAsync(shortLived, default);
        Assert.NotNull(entry?.ExpiresAt);
        Assert.InRange(entry.ExpiresAt.Value, before + ttl - TimeSpan.FromSeconds(1), Fixture.Clock.GetUtcNow() + ttl + TimeSpan.FromSeconds(1));
        Assert.Null((await store.GetAsync(lasting, default))?.ExpiresAt);
        await Fixture.PassTimeAsync(ttl);
        await ExpiredAsync(async () => await store.GetAsync(shortLived, default) is null, "the entry to expire");
        Assert.Equal("lasting", Text(await store.GetAsync(lasting, default)));
    }

    [SkippableFact]
    public async Task Transaction_TwoRacingOnTheSameETag_ExactlyOneWinsAndTheOtherWritesNothing()
    {
        await using var left = await Fixture.CreateStateStoreAsync();
        await using var right = await Fixture.CreateStateStoreAsync();
        var racers = new[] { (Transactions: RequireTransactions(left), Name: "left"), (Transactions: RequireTransactions(right), Name: "right") };
        // Several rounds, so the two transactions really overlap in some of them.
        for (var round = 0; round < 20; round++)
        {
            var key = Fixture.NewKey();
            var etag = await left.SetAsync(new StateSetRequest(key, Bytes("start")), default);
            var sideKeys = racers.Select(_ => Fixture.NewKey()).ToList();

            var attempts = racers
                .Select((racer, index) => Task.Run(async () =>
                {
                    try
                    {
                        await racer.Transactions.ExecuteTransactionAsync(
                            [new StateUpsert(new StateSetRequest(sideKeys[index], Bytes(racer.Name))), new StateUpsert(new StateSetRequest(key, Bytes(racer.Name)) { ETag = etag })],
                            default);
                        return true;
                    }
                    catch (ETagMismatchException)
                    {
                        return false;
                    }
                }))
                .ToList();
            var won = await Task.WhenAll(attempts);

            var winner = Assert.Single(Enumerable.Range(0, racers.Length), i => won[i]);
            var loser = 1 - winner;
            Assert.Equal(racers[winner].Name, Text(await right.GetAsync(key, default)));
            Assert.Equal(racers[winner].Name, Text(await left.GetAsync(sideKeys[winner], default)));
            Assert.Null(await left.GetAsync(sideKeys[loser], default));
        }
    }

    /// <summary>
    /// The store's transactions, or a skip naming what it lacks; a store that declares the feature without the interface
    /// fails.
    /// </summary>
    private static ITransactionalStateStore RequireTransactions(IStateStore store)
    {
        Skip.IfNot(
            store.Features.Contains(StateStoreFeatures.Transactional),
            $"{store.GetType().Name} does not declare {StateStoreFeatures.Transactional} (Dapr's state transactions)");
        return Assert.IsAssignableFrom<ITransactionalStateStore>(store);
    }
}
