namespace Asya.Cli.Tests.EndToEnd;

/// <summary>The end-to-end classes each start whole meshes; in one collection they run one after the other.</summary>
[CollectionDefinition(Name)]
public sealed class EndToEndGroup
{
    public const string Name = "cli-end-to-end";
}
