using System.Net;

namespace Asya.Testing.Kubernetes;

/// <summary>A failure answered as a Kubernetes <c>Status</c> object.</summary>
internal sealed class ApiError(HttpStatusCode code, string reason, string message) : Exception(message)
{
    public HttpStatusCode Code { get; } = code;

    public string Reason { get; } = reason;

    public static ApiError NotFound(string what) => new(HttpStatusCode.NotFound, "NotFound", $"{what} not found");

    public static ApiError Conflict(string message) => new(HttpStatusCode.Conflict, "Conflict", message);

    public static ApiError AlreadyExists(string what) => new(HttpStatusCode.Conflict, "AlreadyExists", $"{what} already exists");

    public static ApiError BadRequest(string message) => new(HttpStatusCode.BadRequest, "BadRequest", message);
}
