namespace Asya.Faults.IntegrationTests.Harness;

/// <summary>
/// The per-scenario count lines. tests/run does not show test output, so each line is also appended to the file
/// named by ASYA_FAULTS_REPORT (tests/run prints it after the suite); default: asya-faults-report.txt in the temp folder.
/// </summary>
internal static class FaultReport
{
    private static readonly Lock Gate = new();

    public static string Path { get; } = Environment.GetEnvironmentVariable("ASYA_FAULTS_REPORT") is { Length: > 0 } path
        ? path
        : System.IO.Path.Combine(System.IO.Path.GetTempPath(), "asya-faults-report.txt");

    public static void Append(string line)
    {
        lock (Gate)
        {
            File.AppendAllText(Path, line + Environment.NewLine);
        }
    }
}
