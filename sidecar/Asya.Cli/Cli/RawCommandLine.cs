using System.Text.Unicode;

namespace Asya.Cli.Cli;

/// <summary>The process's command line as the kernel holds it (<c>/proc/self/cmdline</c>), before .NET decoded it.</summary>
internal static class RawCommandLine
{
    /// <summary>True when some argument is not valid UTF-8; false also where the raw command line cannot be read.</summary>
    public static bool HasInvalidUtf8()
    {
        byte[] raw;
        try
        {
            raw = File.ReadAllBytes("/proc/self/cmdline");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        foreach (var range in raw.AsSpan().Split((byte)0))
        {
            if (!Utf8.IsValid(raw.AsSpan()[range]))
            {
                return true;
            }
        }

        return false;
    }
}
