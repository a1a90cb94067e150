using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.EventEmitters;

namespace Asya.Operator.Building;

/// <summary>Multi-line strings (the runtime script, component manifests) as literal blocks, readable and exact.</summary>
internal sealed class LiteralMultilineEmitter(IEventEmitter next) : ChainedEventEmitter(next)
{
    public override void Emit(ScalarEventInfo eventInfo, IEmitter emitter)
    {
        ArgumentNullException.ThrowIfNull(eventInfo);
        if (eventInfo.Source.Value is string text && text.Contains('\n', StringComparison.Ordinal) && !HasTrailingSpaces(text))
        {
            eventInfo.Style = ScalarStyle.Literal;
        }

        base.Emit(eventInfo, emitter);
    }

    // A literal block cannot keep spaces at line ends; such text stays double-quoted.
    private static bool HasTrailingSpaces(string text) =>
        text.Split('\n').Any(line => line.EndsWith(' ') || line.EndsWith('\t'));
}
