using Amazon;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using Asya.Components.Abstractions;
using Microsoft.Extensions.Logging;

namespace Asya.Components.Aws;

/// <summary>Builds the SQS client from the settings and checks at start-up that the endpoint answers and takes the credentials.</summary>
internal static class SqsClientFactory
{
    /// <summary>Region used to sign requests to a custom endpoint when none is configured (emulators accept any).</summary>
    private const string EndpointDefaultRegion = "us-east-1";

    public static AmazonSQSClient Create(SqsSettings settings, ComponentSpec spec)
    {
        var config = new AmazonSQSConfig();
        if (settings.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = settings.Region ?? EndpointDefaultRegion;
        }
        else if (settings.Region is { } region)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        try
        {
            return settings.AccessKey is { } accessKey
                ? new AmazonSQSClient(Credentials(accessKey, settings.SecretKey!, settings.SessionToken), config)
                : new AmazonSQSClient(config);
        }
        catch (AmazonClientException ex)
        {
            throw new ComponentConfigurationException(
                $"{spec.Describe()}: cannot set up the SQS client ({SqsKeys.Region} = {(settings.Region is null ? "(missing)" : $"'{settings.Region}'")}, " +
                $"no {SqsKeys.Endpoint}): {ex.Message}", ex);
        }
    }

    /// <summary>
    /// One ListQueues call: an unreachable endpoint or rejected credentials fail start-up with a message naming the key;
    /// a permission error does not, since an actor's role may be limited to its own queues.
    /// </summary>
    public static async Task CheckAsync(IAmazonSQS client, SqsSettings settings, ComponentSpec spec, ILogger logger, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.ManagementTimeout);
        try
        {
            await client.ListQueuesAsync(new ListQueuesRequest { MaxResults = 1 }, timeout.Token).ConfigureAwait(false);
        }
        catch (AmazonServiceException ex) when (SqsErrors.IsAccessDenied(ex))
        {
            logger.ListQueuesDenied(spec.Name, $"{ex.ErrorCode}: {ex.Message}");
        }
        catch (AmazonServiceException ex) when (SqsErrors.IsBadCredentials(ex))
        {
            throw new ComponentConfigurationException(
                $"{spec.Describe()}: SQS at {settings.Describe()} rejected the credentials ({DescribeCredentials(settings, spec)}): {ex.ErrorCode}: {ex.Message}", ex);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && SqsErrors.IsConnectionFault(ex))
        {
            throw new ComponentConfigurationException(Unreachable(settings, spec, SqsErrors.Describe(ex, timeout.IsCancellationRequested, settings.ManagementTimeout)), ex);
        }

        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.Connected(spec.Name, settings.Describe(), DescribeCredentials(settings, spec));
        }
    }

    /// <summary>Which credentials are in use, for messages: the access key id shortened (or masked when it came from a secret), never the secret.</summary>
    public static string DescribeCredentials(SqsSettings settings, ComponentSpec spec)
    {
        if (settings.AccessKey is not { } accessKey)
        {
            return "the SDK's default credential chain";
        }

        var shown = spec.SecretKeys.Contains(SqsKeys.AccessKey) || accessKey.Length < 8 ? "***" : $"'{accessKey[..4]}…'";
        var token = settings.SessionToken is null ? string.Empty : $", {SqsKeys.SessionToken} ***";
        return $"{SqsKeys.AccessKey} {shown}, {SqsKeys.SecretKey} ***{token}";
    }

    private static string Unreachable(SqsSettings settings, ComponentSpec spec, string reason) => settings.Endpoint is { } endpoint
        ? $"{spec.Describe()}: cannot reach SQS at '{endpoint}' ({SqsKeys.Endpoint}): {reason}"
        : $"{spec.Describe()}: cannot reach SQS in region {(settings.Region is null ? "(SDK default)" : $"'{settings.Region}'")} ({SqsKeys.Region}): {reason}";

    private static AWSCredentials Credentials(string accessKey, string secretKey, string? sessionToken) =>
        sessionToken is null ? new BasicAWSCredentials(accessKey, secretKey) : new SessionAWSCredentials(accessKey, secretKey, sessionToken);
}
