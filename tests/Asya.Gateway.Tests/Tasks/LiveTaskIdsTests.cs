using Asya.Gateway.Service;

namespace Asya.Gateway.Tests.Tasks;

/// <summary>The FLY path's cache of running task ids: bounded, oldest forgotten first, removed on terminal.</summary>
public sealed class LiveTaskIdsTests
{
    [Fact]
    public void Add_PastCapacity_ForgetsTheOldest()
    {
        var live = new LiveTaskIds(capacity: 2);
        live.Add("a");
        live.Add("b");
        live.Add("c");

        Assert.False(live.Contains("a"));
        Assert.True(live.Contains("b"));
        Assert.True(live.Contains("c"));
    }

    [Fact]
    public void Remove_ThenManyAdds_StaysBoundedAndEvictsOnlyLiveIds()
    {
        var live = new LiveTaskIds(capacity: 2);
        live.Add("keep");
        live.Remove("keep");
        Assert.False(live.Contains("keep"));

        for (var i = 0; i < 100; i++)
        {
            live.Add($"t{i}");
            live.Remove($"t{i}");
        }

        live.Add("x");
        live.Add("y");
        Assert.True(live.Contains("x"));
        Assert.True(live.Contains("y"));
    }
}
