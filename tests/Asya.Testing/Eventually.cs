namespace Asya.Testing;

/// <summary>Polls a condition until it holds or a deadline passes (integration tests only; unit tests use fakes).</summary>
public static class Eventually
{
    /// <summary>Returns the first non-null result of <paramref name="probe"/>; throws with <paramref name="what"/> on timeout.</summary>
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        var deadline = DateTime.UtcNow + timeout;
        var delay = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"timed out after {timeout} waiting for {what}");
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 200));
        }
    }

    /// <summary>Waits until <paramref name="condition"/> is true; throws with <paramref name="what"/> on timeout.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        await GetAsync<object>(async () => await condition() ? new object() : null, timeout, what);
    }
}
