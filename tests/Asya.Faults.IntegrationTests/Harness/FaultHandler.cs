namespace Asya.Faults.IntegrationTests.Harness;

/// <summary>
/// The Python handler every scenario runs. Each call appends "id pid monotonic-ns" to the calls file before doing its
/// work, so handler calls are counted exactly (duplicates included) and can be ordered against the harness's kills
/// (Stopwatch timestamps are CLOCK_MONOTONIC nanoseconds on Linux, like time.monotonic_ns()).
/// A payload's "fault" picks the fault: "crash" exits the runtime inside the handler, "sleep" sleeps "seconds".
/// </summary>
internal static class FaultHandler
{
    public const string Module = "asya_fault_handler";
    public const string Function = "work";

    public const string Source = """
import os
import time

CALLS = os.environ["ASYA_FAULTS_CALLS"]


def work(payload):
    key = payload.get("id") if isinstance(payload, dict) else None
    line = "%s %d %d\n" % (key if isinstance(key, str) else "?", os.getpid(), time.monotonic_ns())
    fd = os.open(CALLS, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)
    fault = payload.get("fault") if isinstance(payload, dict) else None
    if fault == "crash":
        os._exit(3)
    if fault == "sleep":
        time.sleep(payload["seconds"])
    return payload
""";
}
