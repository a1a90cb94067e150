using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.SQS.Model;

namespace Asya.Components.Aws;

/// <summary>Classifies SDK failures and turns them into one-line reasons (AWS error texts never carry the secret key).</summary>
internal static class SqsErrors
{
    public static bool IsBadCredentials(AmazonServiceException ex) =>
        ex.ErrorCode is "InvalidClientTokenId" or "SignatureDoesNotMatch" or "UnrecognizedClientException"
            or "IncompleteSignature" or "ExpiredToken" or "InvalidAccessKeyId" or "AuthFailure";

    public static bool IsAccessDenied(AmazonServiceException ex) =>
        ex.ErrorCode is "AccessDenied" or "AccessDeniedException" or "AWS.SimpleQueueService.AccessDenied";

    public static bool IsQueueMissing(Exception ex) =>
        ex is QueueDoesNotExistException
        || (ex is AmazonServiceException service && service.ErrorCode is "AWS.SimpleQueueService.NonExistentQueue" or "QueueDoesNotExist");

    /// <summary>
    /// SQS's refusal to create a queue within 60 s of deleting one with the same name
    /// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html).
    /// </summary>
    public static bool IsQueueDeletedRecently(Exception ex) =>
        ex is QueueDeletedRecentlyException
        || (ex is AmazonServiceException service && service.ErrorCode is "AWS.SimpleQueueService.QueueDeletedRecently" or "QueueDeletedRecently");

    /// <summary>
    /// A failure of the broker or the way to it (no answer, a broken connection, a timeout, an SDK-side failure), as
    /// opposed to the service's answer or a bug in the caller.
    /// </summary>
    public static bool IsConnectionFault(Exception ex) =>
        ex is AmazonClientException or HttpRequestException or IOException or SocketException or OperationCanceledException;

    public static string Describe(Exception ex, bool timedOut = false, TimeSpan timeout = default)
    {
        if (timedOut)
        {
            return $"no answer within {timeout.TotalSeconds:0.#} s{RootCause(ex)}";
        }

        return ex switch
        {
            AmazonServiceException { ErrorCode: { Length: > 0 } code } service => $"{code}: {service.Message}",
            _ => ex.Message + RootCause(ex),
        };
    }

    private static string RootCause(Exception ex)
    {
        var root = ex;
        while (root.InnerException is { } inner)
        {
            root = inner;
        }

        return ReferenceEquals(root, ex) || ex.Message.Contains(root.Message, StringComparison.Ordinal) ? string.Empty : $" ({root.Message})";
    }
}
