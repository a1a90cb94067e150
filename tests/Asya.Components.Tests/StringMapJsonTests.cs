using System.Text.Json;
using Asya.Components.Abstractions;

namespace Asya.Components.Tests;

// The transports stored headers through reflection JsonSerializer before; stored messages and other readers (Dapr's
// metadata field on Redis) must see the same text from the source-generated serializer.
public sealed class StringMapJsonTests
{
    private static readonly Dictionary<string, string> Headers = new()
    {
        ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        ["quote\"and\\slash"] = "<tag> & 'apostrophe' + é ü 日本 \u0001 \t",
        ["empty"] = "",
    };

    [Fact]
    public void Serialize_Map_SameTextAsReflectionSerializer()
    {
        IReadOnlyDictionary<string, string> map = Headers;

        Assert.Equal(JsonSerializer.Serialize(map), StringMapJson.Serialize(map));
    }

    [Fact]
    public void Serialize_Names_SameTextAsReflectionSerializer()
    {
        string[] names = ["asya-default-a", "asya-x-\"b\"", "ü"];

        Assert.Equal(JsonSerializer.Serialize(names), StringMapJson.Serialize(names));
    }

    [Fact]
    public void Deserialize_SerializedMap_RoundTrips()
    {
        Assert.Equal(Headers, StringMapJson.Deserialize(StringMapJson.Serialize(Headers)));
    }

    [Theory]
    [InlineData("""{"a":1}""")]
    [InlineData("""["a"]""")]
    public void Deserialize_NotAnObjectOfStrings_ThrowsJsonException(string json)
    {
        Assert.Throws<JsonException>(() => StringMapJson.Deserialize(json));
    }
}
