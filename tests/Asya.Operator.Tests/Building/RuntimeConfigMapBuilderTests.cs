using Asya.Operator.Building;

namespace Asya.Operator.Tests.Building;

public sealed class RuntimeConfigMapBuilderTests
{
    [Fact]
    public void Build_HoldsTheRepositoryRuntimeFile()
    {
        var map = RuntimeConfigMapBuilder.Build("team-a", new OperatorSettings());

        Assert.Equal("asya-runtime", map.Metadata.Name);
        Assert.Null(map.Metadata.OwnerReferences);
        var expected = File.ReadAllText(Path.Combine(Asya.Testing.RepoPaths.Root, "runtime", "python", "asya_runtime.py"));
        Assert.Equal(expected, map.Data["asya_runtime.py"]);
    }
}
