using System.Diagnostics;
using Asya.Cli.Cli;
using Asya.Testing;

namespace Asya.Cli.Tests.EndToEnd;

/// <summary>
/// <c>--payload</c> bytes that are not UTF-8 reach .NET already replaced by U+FFFD, so only a real process with a raw
/// argument (passed through <c>sh</c>, which does not re-encode) shows whether the CLI notices instead of sending altered data.
/// </summary>
public sealed class PayloadEncodingTests
{
    [Theory]
    [InlineData("send")]
    [InlineData("run")]
    public async Task Payload_InvalidUtf8_Exit2NamingTheFlag(string command)
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.Combine("echo.py"), "def echo(payload):\n    return payload\n");
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"exec dotnet \"$0\" {command} \"$1\" --payload \"$(printf '{{\"t\":\"a\\377b\"}}')\"");
        info.ArgumentList.Add(AsyaProcess.Dll);
        info.ArgumentList.Add(dir.Path);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(ExitCodes.Usage, process.ExitCode);
        Assert.Contains("--payload: not valid UTF-8", await stderr, StringComparison.Ordinal);
        Assert.Equal("", await stdout);
        Assert.False(Directory.Exists(dir.Combine(".asya")), "nothing may be sent");
    }
}
