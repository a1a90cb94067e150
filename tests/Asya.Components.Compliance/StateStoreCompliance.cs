using System.Text;
using Asya.Components.Abstractions;
using Asya.Testing;
using Xunit;

namespace Asya.Components.Compliance;

/// <summary>Dapr's ETag, first-write and TTL semantics, checked on every state store (one subclass each).</summary>
public abstract partial class StateStoreCompliance<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, IStateStoreFixture
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    protected TFixture Fixture { get; } = fixture;

    [SkippableFact]
    public async Task Get_MissingKey_ReturnsNull()
    {
        await using var store = await Fixture.CreateStateStoreAsync();

        Assert.Null(await store.GetAsync(Fixture.NewKey(), default));
    }

    [SkippableTheory]
    [InlineData(new byte[] { 0x7b, 0x22, 0x61, 0x22, 0x3a, 0x31, 0x7d })]
    [InlineData(new byte[] { 0x00, 0xff, 0xfe, 0x01, 0x80 })]
    [InlineData(new byte[0])]
    public async Task Set_ThenGet_ReturnsSameBytesAndETag(byte[] value)
    {
        await using var store = await Fixture.CreateStateStoreAsync();
        var key = Fixture.NewKey();

        var etag = await store.SetAsync(new StateSetRequest(key, value), default);
        var entry = await store.GetAsync(key, default);

        Assert.NotNull(entry);
        Assert.Equal(key, entry.Key);
        Assert.Equal(value, entry.Value.ToArray());
        Assert.Equal(etag, entry.ETag);
        Assert.Null(entry.ExpiresAt);
    }

    [SkippableFact]
    public async Task Set_SecondStoreOnSameStorage_SeesWrite()
    {
        await using var writer = await Fixture.CreateStateStoreAsync();
        await using var reader = await Fixture.CreateStateStoreAsync();
        var key = Fixture.NewKey();

        var etag = await writer.SetAsync(new StateSetRequest(key, Bytes("shared")), default);

        Assert.Equal(etag, (await reader.GetAsync(key, default))?.ETag);
    }

    [SkippableFact]
    public async Task Set_Overwrite_ChangesETagAndValue()
    {
        await using var store = await Fixture.CreateStateStoreAsync();
        var key = Fixture.NewKey();

        var first = await store.SetAsync(new StateSetRequest(key, Bytes("one")), default);
        var second = await store.SetAsync(new StateSetRequest(key, Bytes("two")), default);

        Assert.NotEqual(first, second);
        var entry = await store.GetAsync(key, default);
        Assert.Equal("two", Text(entry));
        Assert.Equal(second, entry?.ETag);
    }

    [SkippableFact]
    public async Task Set_MatchingETag_Succeeds()
    {
        await using var store = await Fixture.CreateStateStoreAsync();
        var key = Fixture.NewKey();
        var etag = await store.SetAsync(new StateSetRequest(key, Bytes("one")), default);

        var next = await store.SetAsync(new StateSetRequest(key, Bytes("two")) { ETag = etag }, default);

        Assert.NotEqual(etag, next);
        Assert.Equal("two", Text(await store.GetAsync(key, default)));
    }

    [SkippableFact]
    public async Task Set_StaleETag_ThrowsMismatchAndKeepsValue()
    {
        await using var store = await Fixture.CreateStateStoreAsync();
        var key = Fixture.NewKey();
        var stale = await store.SetAsync(new StateSetRequest(key, Bytes("one")), default);
        await store.SetAsync(new StateSetRequest(key, Bytes("two")), default);

        await Assert.ThrowsAsync<ETagMismatchException>(
            async () => await store.SetAsync(new StateSetRequest(key, Bytes("three")) { ETag = stale }, default));

        Assert.Equal("two", Text(await store.GetAsync(key, default)));
    }

    [SkippableFact]
    public async Task Set_ETagOnMissingKey_ThrowsMismatch()
    {
        await using var store = await Fixture.CreateStateStoreAsync();
        var key = Fixture.NewKey();

        await Assert.ThrowsAsync<ETagMismatchException>(
            async () => await store.SetAsync(new StateSetRequest(key, Bytes("x")) { ETag = "9999999" }, default));

        Assert.Null(await store.GetAsync(key, default));
    }

    [SkippableFact]
    public async Task Set_FirstWrite_SecondWriteWithoutETagFails()
    {
        await using var store = await Fixture.CreateStateStoreAsync();
        var key = Fixture.NewKey();

        var etag = await store.SetAsync(new StateSetRequest(key, Bytes("first")) { FirstWrite = true }, default);
        await Assert.ThrowsAsync<ETagMismatchException>(
            async () => await store.SetAsync(new StateSetRequest(key, Bytes("second")) { FirstWrite = true }, default));

        // With the current ETag a first-write update goes through; reusing the old ETag afterwards does not.
        await store.SetAsync(new StateSetRequest(key, Bytes("third")) { FirstWrite = true, ETag = etag }, default);
        await Assert.ThrowsAsync<ETagMismatchException>(
            async () => await store.SetAsync(new StateSetRequest(key, Bytes("fourth")) { FirstWrite = true, ETag = etag }, default));
        Assert.Equal("third", Text(await store.GetAsync(key, default)));
    }

    [SkippableFact]
    public async Task Delete_WithoutETag_RemovesAndReportsExistence()
    {
        await using var store = await Fixture.CreateStateStoreAsync();
        var key = Fixture.NewKey();
        await store.SetAsync(new StateSetRequest(key, Bytes("x")), default);

        Assert.True(await store.DeleteAsync(key, null, default));
        Assert.Null(await store.GetAsync(key, default));
        Assert.False(await store.DeleteAsync(key, null, default));
    }

    [SkippableFact]
    public async Task Delete_MatchingETag_Removes()
    {
        await using var store = await Fixture.CreateStateStoreAsync();
        var key = Fixture.NewKey();
        var etag = await store.SetAsync(new StateSetRequest(key, Bytes("x")), default);

        Assert.True(await store.DeleteAsync(key, etag, default));

        Assert.Null(await store.GetAsync(key, default));
    }

    [SkippableFact]
    public async Task Delete_StaleETag_ThrowsMismatchAndKeepsEntry()
    {
        await using var store = await Fixture.CreateStateStoreAsync();
        var key = Fixture.NewKey();
        var stale = await store.SetAsync(new StateSetRequest(key, Bytes("one")), default);
        await store.SetAsync(new StateSetRequest(key, Bytes("two")), default);

        await Assert.ThrowsAsync<ETagMismatchException>(async () => await store.DeleteAsync(key, stale, default));

        Assert.Equal("two", Text(await store.GetAsync(key, default)));
    }

    [SkippableFact]
    public async Task Delete_ETagOnMissingKey_ThrowsMismatch()
    {
        await using var store = await Fixture.CreateStateStoreAsync();

        await Assert.ThrowsAsync<ETagMismatchException>(async () => await store.DeleteAsync(Fixture.NewKey(), "9999999", default));
    }

    [SkippableFact]
    public async Task Set_WithTtl_ReadableThenExpires()
    {
        await using var store = await Fixture.CreateStateStoreAsync();
        var key = Fixture.NewKey();
        // On a fake clock (stores that take a TimeProvider) nothing expires until the test says so; on a server's clock
        // (Redis) the TTL is long enough to read the entry back on a stalled machine.
        var ttl = TimeSpan.FromSeconds(3);
        var before = Fixture.Clock.GetUtcNow();

        await store.SetAsync(new StateSetRequest(key, Bytes("short-lived")) { Ttl = ttl }, default);

        var entry = await store.GetAsync(key, default);
        Assert.NotNull(entry);
        Assert.NotNull(entry.ExpiresAt);
        Assert.InRange(entry.ExpiresAt.Value, before + ttl - TimeSpan.FromSeconds(1), Fixture.Clock.GetUtcNow() + ttl + TimeSpan.FromSeconds(1));
        await Fixture.PassTimeAsync(ttl);
        await ExpiredAsync(async () => await store.GetAsync(key, default) is null, "the entry to expire");

        // An expired key counts as missing for first-write and for deletes.
        Assert.False(await store.DeleteAsync(key, null, default));
        await store.SetAsync(new StateSetRequest(key, Bytes("again")) { FirstWrite = true }, default);
    }

    [SkippableFact]
    public async Task Set_LaterWithoutTtl_RemovesExpiry()
    {
        await using var store = await Fixture.CreateStateStoreAsync();
        var key = Fixture.NewKey();
        await store.SetAsync(new StateSetRequest(key, Bytes("one")) { Ttl = TimeSpan.FromHours(1) }, default);
        var withTtl = await store.GetAsync(key, default);

        await store.SetAsync(new StateSetRequest(key, Bytes("two")), default);

        Assert.NotNull(withTtl?.ExpiresAt);
        Assert.InRange(withTtl.ExpiresAt.Value, Fixture.Clock.GetUtcNow() + TimeSpan.FromMinutes(50), Fixture.Clock.GetUtcNow() + TimeSpan.FromMinutes(70));
        Assert.Null((await store.GetAsync(key, default))?.ExpiresAt);
    }

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    protected static string? Text(StateEntry? entry) => entry is null ? null : Encoding.UTF8.GetString(entry.Value.Span);

    /// <summary>
    /// After <c>Fixture.PassTimeAsync</c>: a store on the fixture's own clock must show the expiry at once (checked once,
    /// nothing polled on the wall clock); only a store that expires by a server's clock (Redis) is polled, with patience.
    /// </summary>
    protected async Task ExpiredAsync(Func<Task<bool>> expired, string what)
    {
        ArgumentNullException.ThrowIfNull(expired);
        if (Fixture.Clock != TimeProvider.System)
        {
            Assert.True(await expired(), $"expected {what} once the fixture's clock passed it");
            return;
        }

        await Eventually.TrueAsync(expired, Patience, what);
    }
}
