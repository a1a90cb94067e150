using System.Text.Json;
using Asya.Runtime.Protocol;

namespace Asya.Cli.Cli;

/// <summary>The <c>--payload</c> of <c>asya send</c> and <c>asya run</c>.</summary>
internal static class PayloadArgument
{
    /// <summary>
    /// Parses <c>--payload</c>; any JSON value, <c>null</c> included, nested at most <see cref="ProtocolJson.MaxDepth"/>
    /// levels. Bytes that are not UTF-8 are refused rather than sent altered.
    /// </summary>
    public static JsonElement Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // .NET has already turned bytes that are not UTF-8 into U+FFFD; only the raw command line tells them apart
        // from a payload that really contains U+FFFD.
        if (text.Contains('\uFFFD', StringComparison.Ordinal) && RawCommandLine.HasInvalidUtf8())
        {
            throw CliException.Usage("--payload: not valid UTF-8 (the bytes would reach the handler replaced by U+FFFD); pass UTF-8 text");
        }

        try
        {
            using var doc = JsonDocument.Parse(text, ProtocolJson.DocumentOptions);
            return doc.RootElement.Clone();
        }
        catch (JsonException ex) when (ProtocolJson.IsDepthError(ex))
        {
            throw CliException.Usage(ProtocolJson.DepthExceeded("--payload:"));
        }
        catch (JsonException ex)
        {
            throw CliException.Usage($"--payload: not valid JSON ({ex.Message}); quote it for the shell, e.g. --payload '{{\"text\":\"hi\"}}'");
        }
    }
}
