using Asya.Components.Abstractions;
using Xunit;

namespace Asya.Components.Compliance;

/// <summary>Writers racing on one key, and the bulk calls the Dapr state API exposes.</summary>
public abstract partial class StateStoreCompliance<TFixture>
{
    [SkippableFact]
    public async Task Set_TwoWritersWithTheSameETag_ExactlyOneWins()
    {
        await using var left = await Fixture.CreateStateStoreAsync();
        await using var right = await Fixture.CreateStateStoreAsync();
        // Several rounds, so the two writes really overlap in some of them.
        for (var round = 0; round < 20; round++)
        {
            var key = Fixture.NewKey();
            var etag = await left.SetAsync(new StateSetRequest(key, Bytes("start")), default);

            var writes = new[] { (Store: left, Value: "left"), (Store: right, Value: "right") }
                .Select(w => Task.Run(async () =>
                {
                    try
                    {
                        return (w.Value, ETag: (string?)await w.Store.SetAsync(new StateSetRequest(key, Bytes(w.Value)) { ETag = etag }, default));
                    }
                    catch (ETagMismatchException)
                    {
                        return (w.Value, ETag: (string?)null);
                    }
                }))
                .ToList();
            var results = await Task.WhenAll(writes);

            var winner = Assert.Single(results, r => r.ETag is not null);
            var stored = await right.GetAsync(key, default);
            Assert.Equal(winner.Value, Text(stored));
            Assert.Equal(winner.ETag, stored?.ETag);
        }
    }

    [SkippableFact]
    public async Task SetBulk_ThenGetBulk_SameAsOneByOne()
    {
        await using var store = await Fixture.CreateStateStoreAsync();
        var keys = Enumerable.Range(0, 3).Select(_ => Fixture.NewKey()).ToList();
        var missing = Fixture.NewKey();

        var etags = await store.SetBulkAsync(keys.Select(k => new StateSetRequest(k, Bytes("v-" + k))).ToList(), default);
        var entries = await store.GetBulkAsync([keys[0], missing, keys[1], keys[2]], default);

        Assert.Equal(3, etags.Count);
        Assert.Equal(4, entries.Count);
        Assert.Null(entries[1]);
        foreach (var (entry, index) in new[] { (entries[0], 0), (entries[2], 1), (entries[3], 2) })
        {
            var single = await store.GetAsync(keys[index], default);
            Assert.NotNull(entry);
            Assert.Equal(keys[index], entry.Key);
            Assert.Equal("v-" + keys[index], Text(entry));
            Assert.Equal(etags[index], entry.ETag);
            Assert.Equal(single?.ETag, entry.ETag);
        }
    }

    [SkippableFact]
    public async Task SetBulk_StaleETagInTheMiddle_ThrowsMismatchAndLeavesThatKey()
    {
        await using var store = await Fixture.CreateStateStoreAsync();
        var (first, stale, last) = (Fixture.NewKey(), Fixture.NewKey(), Fixture.NewKey());
        var old = await store.SetAsync(new StateSetRequest(stale, Bytes("one")), default);
        await store.SetAsync(new StateSetRequest(stale, Bytes("two")), default);

        await Assert.ThrowsAsync<ETagMismatchException>(async () => await store.SetBulkAsync(
            [new StateSetRequest(first, Bytes("a")), new StateSetRequest(stale, Bytes("three")) { ETag = old }, new StateSetRequest(last, Bytes("c"))],
            default));

        Assert.Equal("two", Text(await store.GetAsync(stale, default)));
    }
}
