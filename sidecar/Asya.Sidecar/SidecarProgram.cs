namespace Asya.Sidecar;

/// <summary>Entry point of the sidecar process; also run by <c>asya sidecar</c>. Replaced by the sidecar branch.</summary>
public static class SidecarProgram
{
    /// <summary>Parses flags and ASYA_* env, runs the sidecar until cancelled or signalled, returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the sidecar engine lands with the sidecar branch");
}
