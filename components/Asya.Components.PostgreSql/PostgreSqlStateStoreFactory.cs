using Asya.Components.Abstractions;

namespace Asya.Components.PostgreSql;

/// <summary>
/// Creates <c>state.postgresql</c> stores. Version <c>v2</c> as in Dapr: a <c>v1</c> manifest means Dapr's older JSONB
/// layout, which this store does not write, so it is refused with the known version instead of corrupting such a table.
/// </summary>
internal sealed class PostgreSqlStateStoreFactory : IComponentFactory
{
    public IReadOnlyList<string> Types { get; } = ["state.postgresql"];

    public string Version => "v2";

    public IReadOnlyCollection<string> MetadataKeys { get; } = PostgreSqlKeys.State;

    public void Validate(ComponentSpec spec, ICollection<string> warnings) => PostgreSqlSettingsReader.Read(spec);

    public IComponent Create(IServiceProvider services) =>
        new PostgreSqlStateStore(services.TimeProvider(), services.Logger<PostgreSqlStateStore>());
}
