using Asya.Faults.IntegrationTests.Harness;
using Asya.Testing;
using Xunit.Abstractions;

namespace Asya.Faults.IntegrationTests.Scenarios;

/// <summary>
/// The embedded SQLite file's disk fills up mid-stream (a small tmpfs, filled to ENOSPC) and empties again: the
/// sidecars report it, lose nothing, and carry on by themselves once space returns (no restart by the harness).
/// </summary>
public sealed class DiskFullTests(ITestOutputHelper output)
{
    private const int TmpfsMegabytes = 64;

    [Fact]
    public async Task DiskFullMidStream_Sqlite()
    {
        using var root = new TempDirectory();
        await using var disk = await TmpfsMount.MountAsync(root.Combine("disk"), TmpfsMegabytes);
        var random = FaultSettings.RandomFor("disk-full", "sqlite");
        var envelopes = ProcessKillTests.Load("df", FaultSettings.Envelopes);
        await new ScenarioRunner(output).RunAsync(
            "disk-full", FaultTransport.Sqlite, envelopes,
            FaultPoints.AtEach(FaultPoints.Spread(random, envelopes.Count, 1), mesh => mesh.RecordFaultAsync(async () =>
            {
                await disk.FillAsync();
                try
                {
                    // Reported: some sidecar logs the full disk (SQLite: "database or disk is full").
                    await Task.WhenAny(mesh.Sidecars.Select(s => s.WaitForStderrAsync(
                        line => line.Contains("full", StringComparison.OrdinalIgnoreCase), TimeSpan.FromSeconds(60), "a full-disk error")));
                    Assert.Contains(mesh.Sidecars, s => s.Stderr.Contains("full", StringComparison.OrdinalIgnoreCase));
                }
                finally
                {
                    disk.Free();
                }
            })),
            new MeshOptions(DataDirectory: disk.Path));
    }
}
