namespace Asya.Sidecar.Tests.Integration;

/// <summary>The Python handlers the integration tests run behind the real runtime.</summary>
internal static class Handlers
{
    public const string Module = "asya_test_handlers";

    public const string Source = """
import os
import signal
import sys
import time

DIR = os.environ["ASYA_TEST_DIR"]


def _marker(name):
    return os.path.join(DIR, name)


def echo(payload):
    return payload


def echo_slow(payload):
    time.sleep(0.01)
    return payload


def fail(payload):
    raise ValueError("Intentional test failure")


def oom(payload):
    raise MemoryError("Out of memory: cannot allocate tensor")


class OutOfMemoryError(RuntimeError):
    pass


def cuda_oom(payload):
    raise OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")


def sleepy(payload):
    time.sleep(payload.get("sleep", 0))
    return {"pid": os.getpid()}


def fanout(payload):
    for i in range(payload["count"]):
        yield {"index": i}


def nothing(payload):
    return None


def stream(payload):
    for i in range(payload["count"]):
        yield "FLY", {"partial": True, "text": "t%d" % i}
    yield {"words": payload["count"]}


def size(payload):
    return {"data_size_kb": len(payload["data"]) // 1024, "test_chars": payload.get("text")}


def reroute(payload):
    yield ("SET", ".route.next", payload["next"])
    yield payload


def flaky(payload):
    # Fails every other call for a key: fail, succeed, fail, succeed...
    marker = _marker("flaky-" + payload["key"])
    if os.path.exists(marker):
        os.remove(marker)
        return payload
    open(marker, "w").close()
    raise ValueError("flaky failure")


def record(payload):
    open(_marker("called-" + payload["key"]), "w").close()
    return payload


def slow_once(payload):
    marker = _marker("slow-" + payload["key"])
    if os.path.exists(marker):
        return payload
    open(marker, "w").close()
    with open(_marker("pid-" + payload["key"]), "w") as f:
        f.write(str(os.getpid()))
    time.sleep(60)
    return payload


def crash(payload):
    # Dies the way a native library or the OOM killer would: no exception, no reply.
    how = payload.get("how")
    if how in ("exit", "kill"):
        sys.stderr.write("handler about to die: %s\n" % how)
        sys.stderr.flush()
        if how == "exit":
            os._exit(3)
        os.kill(os.getpid(), signal.SIGKILL)
    return {"pid": os.getpid()}


def crash_once(payload):
    marker = _marker("crashed-" + payload["key"])
    if not os.path.exists(marker):
        open(marker, "w").close()
        os._exit(3)
    return payload


def timed(payload):
    # One line per start and end: pid, key, wall-clock ns (every runtime process shares that clock).
    with open(_marker("timeline"), "a") as f:
        f.write("start %d %s %d\n" % (os.getpid(), payload["key"], time.time_ns()))
    time.sleep(payload.get("sleep", 0))
    with open(_marker("timeline"), "a") as f:
        f.write("end %d %s %d\n" % (os.getpid(), payload["key"], time.time_ns()))
    return payload


def deep(payload):
    value = "leaf"
    for _ in range(payload["depth"]):
        value = [value]
    return value
""";
}
