namespace Asya.Runtime.Protocol.Tests;

public sealed class RouteTests
{
    [Fact]
    public void Advance_MiddleOfRoute_ShiftsCurrentIntoPrev()
    {
        var route = new Route { Prev = ["a"], Curr = "b", Next = ["c", "d"] };

        var next = route.Advance();

        Assert.Equal(["a", "b"], next.Prev);
        Assert.Equal("c", next.Curr);
        Assert.Equal(["d"], next.Next);
        Assert.Equal(["c", "d"], route.Next);
    }

    [Fact]
    public void Advance_LastActor_EndsRoute()
    {
        var next = new Route { Curr = "b" }.Advance();

        Assert.True(next.IsEnded);
        Assert.Equal(["b"], next.Prev);
        Assert.Empty(next.Next);
    }

    [Fact]
    public void Start_Actors_FirstIsCurrent()
    {
        var route = Route.Start(["a", "b", "c"]);

        Assert.Empty(route.Prev);
        Assert.Equal("a", route.Curr);
        Assert.Equal(["b", "c"], route.Next);
        Assert.True(Route.Start([]).IsEnded);
    }
}
