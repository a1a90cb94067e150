using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Asya.Cli.Local;

/// <summary>
/// How <c>asya call</c> finds the gateway of a running <c>asya up</c>: <c>up</c> writes <c>gateway.json</c>
/// (<c>{"api_url", "pid"}</c>) into the folder's data directory once its gateway is ready and removes it when it stops;
/// a file whose process is gone (a killed <c>up</c>) is ignored.
/// </summary>
internal static class RunningGateway
{
    public const string FileName = "gateway.json";

    public static void Write(string dataDir, string apiUrl, int pid)
    {
        Directory.CreateDirectory(dataDir);
        var path = Path.Combine(dataDir, FileName);
        var temp = path + ".tmp";
        File.WriteAllText(temp, new JsonObject { ["api_url"] = apiUrl, ["pid"] = pid }.ToJsonString());
        // Renamed into place, so a reader never sees half a file.
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Removes the file when it still names <paramref name="pid"/> (another <c>up</c> may have replaced it).</summary>
    public static void Remove(string dataDir, int pid)
    {
        var path = Path.Combine(dataDir, FileName);
        if (Read(path) is { Pid: var owner } && owner == pid)
        {
            File.Delete(path);
        }
    }

    /// <summary>The api URL of the running <c>up</c> of this data directory, or null.</summary>
    public static string? Find(string dataDir) =>
        Read(Path.Combine(dataDir, FileName)) is { } found && IsAlive(found.Pid) ? found.ApiUrl : null;

    private static (string ApiUrl, int Pid)? Read(string path)
    {
        try
        {
            var node = JsonNode.Parse(File.ReadAllText(path));
            return node?["api_url"]?.GetValue<string>() is { } url && node["pid"]?.GetValue<int>() is { } pid ? (url, pid) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
