using System.Diagnostics;
using System.Globalization;

namespace Asya.Faults.IntegrationTests.Harness;

/// <summary>
/// A small tmpfs mounted on a folder (needs root, as on CI and the dev machines), so a disk can be filled for real and
/// emptied again: <see cref="FillAsync"/> writes a filler file until ENOSPC, <see cref="Free"/> deletes it.
/// </summary>
internal sealed class TmpfsMount : IAsyncDisposable
{
    private readonly string _filler;

    private TmpfsMount(string path)
    {
        Path = path;
        _filler = System.IO.Path.Combine(path, "filler");
    }

    public string Path { get; }

    public static async Task<TmpfsMount> MountAsync(string path, int megabytes)
    {
        Directory.CreateDirectory(path);
        await RunAsync("mount", "-t", "tmpfs", "-o", $"size={megabytes.ToString(CultureInfo.InvariantCulture)}m", "tmpfs", path);
        return new TmpfsMount(path);
    }

    /// <summary>Takes every free byte (the filler grows until the file system says it is full).</summary>
    public async Task FillAsync()
    {
        var block = new byte[64 * 1024];
        await using var stream = new FileStream(_filler, FileMode.Create, FileAccess.Write, FileShare.None, 0);
        try
        {
            while (true)
            {
                await stream.WriteAsync(block);
            }
        }
        catch (IOException)
        {
            // ENOSPC: the disk is full; the filler keeps what it got.
        }
    }

    /// <summary>Gives the space back.</summary>
    public void Free() => File.Delete(_filler);

    public async ValueTask DisposeAsync()
    {
        await RunAsync("umount", "-l", Path);
    }

    private static async Task RunAsync(string command, params string[] args)
    {
        var info = new ProcessStartInfo(command, args) { RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not run {command}");
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"`{command} {string.Join(' ', args)}` exited with {process.ExitCode}: {error.Trim()} (the disk-full scenario needs root for a tmpfs)");
        }
    }
}
