using System.Collections.Concurrent;
using Asya.ExternalScaler.Depth;
using Google.Protobuf.Collections;

namespace Asya.ExternalScaler.Metadata;

/// <summary>
/// Parses each ScaledObject's metadata once: entries are keyed by (namespace, name) and reused while the incoming
/// map is equal to the one parsed; an edited trigger is parsed again. Rejections are cached too.
/// </summary>
internal sealed class MetadataCache(DepthEngine engine)
{
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<(string Namespace, string Name), Entry> _entries = new();

    public int Count => _entries.Count;

    /// <summary>The parsed metadata, or throws <see cref="InvalidMetadataException"/>.</summary>
    public ScalerMetadata Resolve(string name, string ns, MapField<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var key = (ns ?? "", name ?? "");
        if (!_entries.TryGetValue(key, out var entry) || !entry.Matches(metadata))
        {
            if (_entries.Count >= MaxEntries)
            {
                _entries.Clear();
            }

            entry = Entry.Parse(key.Item1, metadata, engine);
            _entries[key] = entry;
        }

        return entry.Value ?? throw entry.Error!;
    }

    private sealed class Entry
    {
        private readonly KeyValuePair<string, string>[] _source;

        private Entry(KeyValuePair<string, string>[] source, ScalerMetadata? value, InvalidMetadataException? error)
        {
            _source = source;
            Value = value;
            Error = error;
        }

        public ScalerMetadata? Value { get; }

        public InvalidMetadataException? Error { get; }

        public static Entry Parse(string ns, MapField<string, string> metadata, DepthEngine engine)
        {
            var source = metadata.ToArray();
            try
            {
                return new Entry(source, MetadataParser.Parse(ns, metadata, engine), null);
            }
            catch (InvalidMetadataException ex)
            {
                return new Entry(source, null, ex);
            }
        }

        public bool Matches(MapField<string, string> metadata)
        {
            if (metadata.Count != _source.Length)
            {
                return false;
            }

            foreach (var (key, value) in _source)
            {
                if (!metadata.TryGetValue(key, out var other) || !string.Equals(value, other, StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
