"""Stands in for `asya sidecar` in supervision tests: serves /readyz, logs JSON lines, obeys SIGTERM.

Behaviour by env FAKE_MODE: ok (default), crash (log and exit 3), never-ready (503 forever),
stubborn (ignore SIGTERM), port-taken-once (first start fails like a taken metrics port),
runtime-fails (reports its runtime failing at start, keeps running), dies-later (ready, exits 5 once
<FAKE_MARKER_DIR>/<actor>.die exists; every later start exits 4 at once). On SIGTERM it writes <FAKE_MARKER_DIR>/<actor>.terminated, then exits 0.
"""
import http.server
import json
import os
import signal
import sys
import threading
import time


def arg(name):
    argv = sys.argv
    return argv[argv.index(name) + 1] if name in argv else None


actor = arg("--actor")
host, port = arg("--metrics-addr").rsplit(":", 1)
mode = os.environ.get("FAKE_MODE", "ok")


# Event ids of the sidecar's contract (Asya.Sidecar.Observability.SidecarLogEvents); the wording below differs from
# the real sidecar's on purpose: asya up must act on ids and fields only.
ENVELOPE_HANDLED = 1
RUNTIME_EXITED = 19
METRICS_ADDRESS_IN_USE = 42


def log(level, message, state=None, event_id=0):
    entry = {"EventId": event_id, "LogLevel": level, "Category": "Fake", "Message": message}
    if state is not None:
        entry["State"] = state
    print(json.dumps(entry), flush=True)


if mode == "port-taken-once":
    marker = os.path.join(os.environ["FAKE_MARKER_DIR"], actor + ".port-taken")
    if not os.path.exists(marker):
        open(marker, "w").close()
        log("Error", "metrics listener busy (fake wording)", {"Address": "%s:%s" % (host, port)}, METRICS_ADDRESS_IN_USE)
        sys.exit(2)

if mode == "runtime-fails":
    for _ in range(3):
        print("2026-01-01 00:00:00,000 CRITICAL asya-runtime: FATAL: ASYA_HANDLER='bad.handle': importing module 'bad' failed: SyntaxError", flush=True)
        log("Warning", "the handler process went away (fake wording)", {"Pid": 42, "Exit": "exit code 1"}, RUNTIME_EXITED)

if mode == "dies-later":
    started = os.path.join(os.environ["FAKE_MARKER_DIR"], actor + ".started")
    if os.path.exists(started):
        log("Critical", "cannot start: broken after the first run")
        sys.exit(4)
    open(started, "w").close()

    def die_when_told():
        die = os.path.join(os.environ["FAKE_MARKER_DIR"], actor + ".die")
        while not os.path.exists(die):
            time.sleep(0.05)
        os._exit(5)

    threading.Thread(target=die_when_told, daemon=True).start()

if mode == "crash":
    print("Traceback (most recent call last):", flush=True)
    log("Critical", "loading handler failed: boom")
    sys.exit(3)


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        ready = mode not in ("never-ready", "runtime-fails") and self.path == "/readyz"
        self.send_response(200 if ready else 503)
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.HTTPServer((host, int(port)), Handler)


def on_term(signum, frame):
    if mode == "stubborn":
        return
    marker = os.environ.get("FAKE_MARKER_DIR")
    if marker:
        open(os.path.join(marker, actor + ".terminated"), "w").close()
    threading.Thread(target=server.shutdown).start()


signal.signal(signal.SIGTERM, on_term)
log("Information", "fake sidecar %s listening" % actor)
log("Warning", "fake warning from %s" % actor)
log("Information", "handled", {"EnvelopeId": "e-1", "Actor": actor, "Outcome": "Routed", "Destination": "x-sink", "DurationMs": 1.5}, ENVELOPE_HANDLED)
server.serve_forever()
sys.exit(0)
