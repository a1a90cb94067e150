namespace Asya.Components.Tests;

public sealed class ComponentTypesTests
{
    [Theory]
    [InlineData("pubsub.rabbitmq", "pubsub.")]
    [InlineData("pubsub.aws.snssqs", "pubsub.")]
    [InlineData("bindings.aws.sqs", "pubsub.")]
    [InlineData("Bindings.AWS.SQS", "pubsub.")]
    [InlineData("bindings.kafka", "bindings.")]
    [InlineData("state.redis", "state.")]
    [InlineData("secretstores.local.env", "secretstores.")]
    [InlineData("odd", "odd")]
    public void CategoryOf_Type_TransportBindingsCountAsPubSub(string type, string expected) =>
        Assert.Equal(expected, ComponentTypes.CategoryOf(type));
}
