using System.Text.Json.Serialization;

namespace Asya.Runtime.Protocol;

/// <summary>
/// The envelope's own itinerary (docs/design.md §2): actors already visited, the one that must process it now
/// (<c>""</c> = end of route), and the ones still to come. Handlers may rewrite only <see cref="Next"/>.
/// </summary>
public sealed class Route
{
    /// <summary>Actors that already processed the envelope, oldest first.</summary>
    [JsonPropertyName("prev"), JsonPropertyOrder(0)]
    public List<string> Prev { get; set; } = [];

    /// <summary>Actor that must process the envelope now; empty string means the route has ended.</summary>
    [JsonPropertyName("curr"), JsonPropertyOrder(1)]
    public string Curr { get; set; } = "";

    /// <summary>Actors still to visit, in order.</summary>
    [JsonPropertyName("next"), JsonPropertyOrder(2)]
    public List<string> Next { get; set; } = [];

    /// <summary>True when no actor is left to process the envelope.</summary>
    [JsonIgnore]
    public bool IsEnded => Curr.Length == 0;

    /// <summary>Creates a route that starts at the first of <paramref name="actors"/>.</summary>
    public static Route Start(IReadOnlyList<string> actors) => actors.Count == 0
        ? new Route()
        : new Route { Curr = actors[0], Next = [.. actors.Skip(1)] };

    /// <summary>
    /// The route after the current actor finished: <c>prev' = prev + [curr]</c>, <c>curr' = next[0]</c> or <c>""</c>,
    /// <c>next' = next[1:]</c>. The runtime does this for result frames; the sidecar uses it for <c>onExhausted</c>.
    /// </summary>
    public Route Advance()
    {
        var prev = new List<string>(Prev.Count + 1);
        prev.AddRange(Prev);
        if (Curr.Length > 0)
        {
            prev.Add(Curr);
        }

        return Next.Count == 0
            ? new Route { Prev = prev }
            : new Route { Prev = prev, Curr = Next[0], Next = Next.GetRange(1, Next.Count - 1) };
    }

    /// <summary>
    /// Null when the route has the shape of docs/design.md §1 (<c>prev</c> and <c>next</c> arrays of strings, <c>curr</c> a
    /// string), else the error naming the field under <paramref name="where"/>. Readers fill <c>null</c> for JSON null.
    /// </summary>
    public string? Validate(string where)
    {
        if (Prev is null || Prev.Contains(null!))
        {
            return $"envelope field '{where}.prev' must be an array of strings" + (Prev is null ? ", got null" : " (it holds null)");
        }

        if (Curr is null)
        {
            return $"envelope field '{where}.curr' must be a string, got null";
        }

        return Next is null || Next.Contains(null!)
            ? $"envelope field '{where}.next' must be an array of strings" + (Next is null ? ", got null" : " (it holds null)")
            : null;
    }

    /// <summary>The first name in <c>curr</c> (when not the end) or <c>next</c> that is not a valid actor name, else null.</summary>
    public string? FirstInvalidActor()
    {
        if (Curr.Length > 0 && !ActorNames.IsValid(Curr))
        {
            return Curr;
        }

        foreach (var step in Next)
        {
            if (!ActorNames.IsValid(step))
            {
                return step;
            }
        }

        return null;
    }

    /// <summary>A copy whose lists are not shared with this one.</summary>
    public Route Clone() => new() { Prev = [.. Prev], Curr = Curr, Next = [.. Next] };
}
