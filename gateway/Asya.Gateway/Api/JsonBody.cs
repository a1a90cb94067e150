using System.Text.Json;
using Asya.Gateway.Tasks;
using Asya.Runtime.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Asya.Gateway.Api;

/// <summary>Reads a request body as JSON within the size limit: above it 413, not JSON (or nested too deep) 400.</summary>
internal static class JsonBody
{
    public static async Task<(JsonDocument? Document, IResult? Error)> ReadAsync(HttpContext context, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        // Chunked bodies have no length up front: Kestrel stops reading at the limit instead.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        try
        {
            var document = await JsonDocument.ParseAsync(
                context.Request.Body, new JsonDocumentOptions { MaxDepth = ProtocolJson.MaxDepth }, context.RequestAborted).ConfigureAwait(false);
            return (document, null);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(maxBytes));
        }
        catch (JsonException ex)
        {
            return (null, Error(StatusCodes.Status400BadRequest, $"body: not JSON ({ex.Message})"));
        }
    }

    public static IResult Error(int status, string message) => Results.Json(new ErrorBody(message), GatewayJson.Options, statusCode: status);

    private static IResult TooLarge(int maxBytes) =>
        Error(StatusCodes.Status413PayloadTooLarge, $"body: larger than the limit of {maxBytes} bytes (--max-body)");
}
