namespace Asya.Components.Abstractions;

/// <summary>
/// Exponential backoff shared by every retry loop of the mesh (receive loops, reconnects, restarts, depth polls): the
/// first delay after one failure, doubled per further failure, never above the cap. One formula, so a tuning change or
/// a bug fix reaches every loop, and tests can state the sequence once.
/// </summary>
/// <param name="First">Delay after the first failure.</param>
/// <param name="Cap">Largest delay.</param>
public readonly record struct Backoff(TimeSpan First, TimeSpan Cap)
{
    /// <summary>The delay after <paramref name="failures"/> failures in a row (1 → <see cref="First"/>; 0 or less → zero).</summary>
    public TimeSpan After(int failures)
    {
        if (failures <= 0)
        {
            return TimeSpan.Zero;
        }

        // Shift at most 40 places: First is at least a tick, and 2^40 ticks is days, far past any cap used.
        var ticks = First.Ticks << Math.Min(failures - 1, 40);
        return ticks <= 0 || ticks > Cap.Ticks ? Cap : TimeSpan.FromTicks(ticks);
    }

    /// <summary>
    /// The delay after <paramref name="current"/>: twice it, at most <see cref="Cap"/>; below <see cref="First"/> (zero,
    /// to start), <see cref="First"/>, or <see cref="Cap"/> when the cap is smaller.
    /// </summary>
    public TimeSpan Next(TimeSpan current)
    {
        if (current < First)
        {
            // A cap below the first delay (a configured reconnect wait, say) still bounds every delay, as in After.
            return First < Cap ? First : Cap;
        }

        return current.Ticks > Cap.Ticks / 2 ? Cap : current * 2;
    }
}
