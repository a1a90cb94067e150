"""Tests for asya_runtime.py: in-process unit tests plus protocol tests against a real runtime subprocess.

Run: cd runtime/python && python3 -m unittest discover -s tests -v
"""

import base64
import http.client
import json
import logging
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
RUNTIME_DIR = os.path.dirname(HERE)
RUNTIME = os.path.join(RUNTIME_DIR, "asya_runtime.py")
for _path in (RUNTIME_DIR, HERE):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import asya_runtime as rt  # noqa: E402
import handlers  # noqa: E402

# In-process tests provoke handler failures on purpose; keep their log lines out of the test output.
logging.getLogger("asya.runtime").addHandler(logging.NullHandler())
logging.getLogger("asya.runtime").propagate = False

START_TIMEOUT = 15.0
IO_TIMEOUT = 30.0


# --------------------------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------------------------


def envelope(payload=None, prev=None, curr="me", nxt=None, **extra):
    env = {"id": "env-1", "route": {"prev": prev or [], "curr": curr, "next": nxt or []}, "payload": payload}
    env.update(extra)
    return env


def body_of(env):
    return json.dumps(env).encode("utf-8")


def parse_sse(text):
    """[(event, data)] from an SSE body; multiple data lines are joined with newlines."""
    events = []
    for block in text.split("\n\n"):
        if not block:
            continue
        name, data = None, []
        for line in block.split("\n"):
            if line.startswith("event: "):
                name = line[len("event: "):]
            elif line.startswith("data: "):
                data.append(line[len("data: "):])
        events.append((name, json.loads("\n".join(data))))
    return events


def short_tempdir():
    # Unix socket paths must stay short (< 108 bytes), so stay directly under /tmp.
    return tempfile.mkdtemp(prefix="asya-", dir="/tmp")


def _read_text(path):
    try:
        with open(path) as handle:
            return handle.read()
    except OSError:
        return None


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=IO_TIMEOUT):
        http.client.HTTPConnection.__init__(self, "localhost", timeout=timeout)
        self._unix_path = path

    def connect(self):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self._unix_path)
        self.sock = sock


class RuntimeProcess:
    """A runtime subprocess on its own short temp socket dir."""

    def __init__(self, handler, env=None, socket_dir=None):
        self.socket_dir = socket_dir or short_tempdir()
        self._own_dir = socket_dir is None
        self.socket_path = os.path.join(self.socket_dir, "asya-runtime.sock")
        self.ready_path = os.path.join(self.socket_dir, "runtime-ready")
        full_env = dict(os.environ)
        full_env.pop("ASYA_SOCKET_CHMOD", None)
        full_env.update({"ASYA_HANDLER": handler, "ASYA_SOCKET_DIR": self.socket_dir, "PYTHONPATH": HERE})
        full_env.update(env or {})
        self._stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, RUNTIME], cwd=HERE, env=full_env, stdout=subprocess.DEVNULL, stderr=self._stderr
        )

    def stderr(self):
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    def wait_ready(self, timeout=START_TIMEOUT):
        deadline = time.monotonic() + timeout
        expected = "ready\n%d\n" % self.proc.pid
        while time.monotonic() < deadline:
            # A stale file from an earlier process may exist until the runtime replaces it: match our PID.
            if _read_text(self.ready_path) == expected:
                return self
            if self.proc.poll() is not None:
                raise AssertionError("runtime exited with %s before ready:\n%s" % (self.proc.returncode, self.stderr()))
            time.sleep(0.01)
        raise AssertionError("runtime not ready within %ss:\n%s" % (timeout, self.stderr()))

    def wait_exit(self, timeout=START_TIMEOUT):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError("runtime did not exit within %ss:\n%s" % (timeout, self.stderr()))

    def connection(self):
        return UnixHTTPConnection(self.socket_path)

    def request(self, method, path, body=None, headers=None):
        conn = self.connection()
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, dict((k.lower(), v) for k, v in resp.getheaders()), resp.read()
        finally:
            conn.close()

    def invoke(self, env_or_body):
        body = env_or_body if isinstance(env_or_body, bytes) else body_of(env_or_body)
        status, headers, raw = self.request("POST", "/invoke", body, {"Content-Type": "application/json"})
        return status, headers, raw

    def invoke_json(self, env_or_body):
        status, _, raw = self.invoke(env_or_body)
        return status, (json.loads(raw) if raw else None)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        self._stderr.close()
        if self._own_dir:
            shutil.rmtree(self.socket_dir, ignore_errors=True)


class RuntimeCase(unittest.TestCase):
    """Starts one runtime subprocess per test class."""

    HANDLER = "handlers.echo"
    ENV = None
    runtime = None

    @classmethod
    def setUpClass(cls):
        cls.runtime = RuntimeProcess(cls.HANDLER, cls.ENV)
        try:
            cls.runtime.wait_ready()
        except Exception:
            cls.runtime.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.runtime.stop()


def start_runtime(test, handler, env=None, socket_dir=None):
    runtime = RuntimeProcess(handler, env, socket_dir)
    test.addCleanup(runtime.stop)
    return runtime.wait_ready()


def run_until_exit(test, handler, env=None, socket_dir=None):
    runtime = RuntimeProcess(handler, env, socket_dir)
    test.addCleanup(runtime.stop)
    return runtime.wait_exit(), runtime.stderr()


def invoke_in_process(handler, env_or_body, validate=True):
    """Runtime.invoke without a socket: (status, parsed body or SSE events, raw bytes)."""
    body = env_or_body if isinstance(env_or_body, bytes) else body_of(env_or_body)
    reply = rt.Runtime(handler, validate).invoke(body)
    if isinstance(reply, rt.Stream):
        raw = b"".join(reply.events())
        return 200, parse_sse(raw.decode("utf-8")), raw
    return reply.status, (json.loads(reply.body) if reply.body else None), reply.body


# --------------------------------------------------------------------------------------------------------------------
# Unit: envelope parsing and validation
# --------------------------------------------------------------------------------------------------------------------


class ParseEnvelopeTests(unittest.TestCase):
    def assert_rejected(self, body, fragment, validate=True):
        with self.assertRaises(rt.EnvelopeError) as ctx:
            rt.parse_envelope(body, validate)
        self.assertIn(fragment, str(ctx.exception))

    def test_parse_envelope_valid_returns_dict(self):
        env = rt.parse_envelope(body_of(envelope({"a": 1})))
        self.assertEqual(env["payload"], {"a": 1})

    def test_parse_envelope_empty_body_rejected(self):
        self.assert_rejected(b"", "Missing request body")

    def test_parse_envelope_invalid_json_rejected(self):
        self.assert_rejected(b"{not json", "not valid JSON")

    def test_parse_envelope_invalid_utf8_rejected(self):
        self.assert_rejected(b'{"payload": "\xff\xfe"}', "not valid UTF-8")

    def test_parse_envelope_nan_rejected(self):
        self.assert_rejected(b'{"payload": NaN, "route": {"prev": [], "curr": "a", "next": []}}', "NaN")

    def test_parse_envelope_not_object_rejected(self):
        self.assert_rejected(b"[1, 2]", "must be a JSON object, got array")

    def test_parse_envelope_missing_payload_rejected(self):
        self.assert_rejected(b'{"route": {"prev": [], "curr": "a", "next": []}}', "'payload'")

    def test_parse_envelope_missing_route_rejected(self):
        self.assert_rejected(b'{"payload": 1}', "'route'")

    def test_parse_envelope_route_not_object_rejected(self):
        self.assert_rejected(b'{"payload": 1, "route": []}', "'route' must be an object, got array")

    def test_parse_envelope_route_field_types_rejected(self):
        cases = [
            ({"curr": "a", "next": []}, "'route.prev' is missing"),
            ({"prev": "a", "curr": "a", "next": []}, "'route.prev' must be an array, got string"),
            ({"prev": [], "curr": 1, "next": []}, "'route.curr' must be a string, got number"),
            ({"prev": [], "curr": "a", "next": {}}, "'route.next' must be an array, got object"),
            ({"prev": [], "curr": "a"}, "'route.next' is missing"),
        ]
        for route, fragment in cases:
            with self.subTest(route=route):
                self.assert_rejected(json.dumps({"payload": 1, "route": route}).encode(), fragment)

    def test_parse_envelope_headers_not_object_rejected(self):
        self.assert_rejected(body_of(envelope(1, headers=["x"])), "'headers' must be an object")

    def test_parse_envelope_id_not_string_rejected(self):
        self.assert_rejected(body_of(envelope(1, id=5)), "'id' must be a string, got number")

    def test_parse_envelope_missing_id_accepted(self):
        env = envelope(1)
        del env["id"]
        self.assertNotIn("id", rt.parse_envelope(body_of(env)))

    def test_parse_envelope_empty_payload_values_accepted(self):
        for value in ({}, [], "", 0, None, False):
            with self.subTest(value=value):
                self.assertEqual(rt.parse_envelope(body_of(envelope(value)))["payload"], value)

    def test_parse_envelope_validation_off_accepts_missing_route(self):
        self.assertEqual(rt.parse_envelope(b'{"payload": 1}', validate=False), {"payload": 1})

    def test_parse_envelope_validation_off_still_requires_object(self):
        self.assert_rejected(b'"text"', "must be a JSON object", validate=False)


# --------------------------------------------------------------------------------------------------------------------
# Unit: error details and serialization
# --------------------------------------------------------------------------------------------------------------------


class ErrorDetailsTests(unittest.TestCase):
    def details(self, exc):
        try:
            raise exc
        except BaseException as caught:  # noqa: B902
            return rt.error_details(caught)

    def test_error_details_builtin_is_bare(self):
        details = self.details(ValueError("bad"))
        self.assertEqual(details["type"], "ValueError")
        self.assertEqual(details["mro"], ["Exception"])
        self.assertEqual(details["message"], "bad")
        self.assertIn("Traceback", details["traceback"])
        self.assertIn("ValueError: bad", details["traceback"])

    def test_error_details_memory_error(self):
        details = self.details(MemoryError("oom"))
        self.assertEqual((details["type"], details["mro"]), ("MemoryError", ["Exception"]))

    def test_error_details_nested_custom_class_is_qualified(self):
        details = self.details(handlers.Outer.InnerError("x"))
        self.assertEqual(details["type"], "handlers.Outer.InnerError")
        self.assertEqual(details["mro"], ["handlers.BaseAppError", "Exception"])

    def test_error_details_deep_builtin_chain(self):
        details = self.details(ConnectionRefusedError("no"))
        self.assertEqual(details["mro"], ["ConnectionError", "OSError", "Exception"])

    def test_error_details_without_traceback(self):
        self.assertEqual(rt.error_details(KeyError("k"), with_traceback=False)["traceback"], "")

    def test_error_details_unprintable_message(self):
        class Unprintable(Exception):
            def __str__(self):
                raise RuntimeError("no str")

        self.assertIn("unprintable", rt.error_details(Unprintable())["message"])


class SerializationTests(unittest.TestCase):
    def test_dumps_rich_types(self):
        data = json.loads(rt.dumps(handlers.rich_types(None)))
        self.assertEqual(data["dataclass"], {"name": "tri", "points": [{"x": 0, "y": 0}, {"x": 1, "y": 2}]})
        self.assertEqual(data["datetime"], "2026-01-02T03:04:05+00:00")
        self.assertEqual(data["date"], "2026-01-02")
        self.assertEqual(data["time"], "03:04:05")
        self.assertEqual(data["uuid"], "12345678-1234-5678-1234-567812345678")
        self.assertEqual(data["decimal"], "1.10")
        self.assertEqual(base64.b64decode(data["bytes"]), b"\x00\x01hi")
        self.assertEqual(data["set"], [3])
        self.assertEqual(data["frozenset"], ["a"])
        self.assertEqual(data["pydantic2"], {"value": 7, "mode": "json"})
        self.assertEqual(data["pydantic1"], {"value": 8, "v1": True})

    def test_dumps_unicode_is_utf8_not_escaped(self):
        self.assertEqual(rt.dumps({"t": "héllo 世界 🎉"}), '{"t":"héllo 世界 🎉"}'.encode("utf-8"))

    def test_dumps_lone_surrogate_falls_back_to_escapes(self):
        self.assertEqual(json.loads(rt.dumps({"t": "\ud800"})), {"t": "\ud800"})

    def test_dumps_unknown_type_raises_type_error(self):
        with self.assertRaises(TypeError) as ctx:
            rt.dumps({"x": object()})
        self.assertIn("object", str(ctx.exception))

    def test_dumps_nan_raises_value_error(self):
        with self.assertRaises(ValueError):
            rt.dumps(float("nan"))


# --------------------------------------------------------------------------------------------------------------------
# Unit: jq-like paths
# --------------------------------------------------------------------------------------------------------------------


def make_ctx():
    return {
        "id": "e1",
        "parent_id": None,
        "route": {"prev": ["a"], "curr": "b", "next": ["c", "d"]},
        "headers": {"k": "v", "x-key": 1},
        "status": None,
    }


class PathTests(unittest.TestCase):
    def test_parse_path_segments(self):
        self.assertEqual(rt.parse_path(".route.next"), ("route", "next"))
        self.assertEqual(rt.parse_path('.headers["any key"]'), ("headers", "any key"))
        self.assertEqual(rt.parse_path(".route.next[-1]"), ("route", "next", -1))
        self.assertEqual(rt.parse_path(".route.next[1:3]"), ("route", "next", slice(1, 3)))
        self.assertEqual(rt.parse_path(".route.next[:0]"), ("route", "next", slice(None, 0)))
        self.assertEqual(rt.parse_path(".headers.x-trace_id"), ("headers", "x-trace_id"))
        self.assertEqual(rt.parse_path('.["headers"]'), ("headers",))
        self.assertEqual(rt.parse_path("."), ())

    def test_parse_path_invalid(self):
        for path in ("route", ".a..b", ".a[", ".a[1:2].b", ".1a", ".a b", 5):
            with self.subTest(path=path):
                with self.assertRaises(ValueError):
                    rt.parse_path(path)

    def test_path_get_returns_deep_copy(self):
        ctx = make_ctx()
        route = rt.path_get(ctx, ".route")
        route["next"].append("x")
        self.assertEqual(ctx["route"]["next"], ["c", "d"])

    def test_path_get_values(self):
        ctx = make_ctx()
        self.assertEqual(rt.path_get(ctx, ".id"), "e1")
        self.assertEqual(rt.path_get(ctx, ".route.next[0]"), "c")
        self.assertEqual(rt.path_get(ctx, ".route.next[-1]"), "d")
        self.assertIsNone(rt.path_get(ctx, ".route.next[5]"))
        self.assertIsNone(rt.path_get(ctx, ".headers.missing.deeper"))
        self.assertIsNone(rt.path_get(ctx, ".status.phase"))
        self.assertEqual(rt.path_get(ctx, '.headers["x-key"]'), 1)

    def test_path_get_slice_rejected(self):
        with self.assertRaises(ValueError):
            rt.path_get(make_ctx(), ".route.next[0:1]")

    def test_path_set_replace_prepend_append(self):
        ctx = make_ctx()
        rt.path_set(ctx, ".route.next", ["x"])
        rt.path_set(ctx, ".route.next[:0]", ["first"])
        rt.path_set(ctx, ".route.next[999:]", ["last"])
        self.assertEqual(ctx["route"]["next"], ["first", "x", "last"])
        rt.path_set(ctx, ".route.next[1:2]", ["y", "z"])
        self.assertEqual(ctx["route"]["next"], ["first", "y", "z", "last"])
        rt.path_set(ctx, ".route.next[0]", "zero")
        self.assertEqual(ctx["route"]["next"][0], "zero")

    def test_path_set_deep_copies_value(self):
        ctx = make_ctx()
        value = {"a": [1]}
        rt.path_set(ctx, ".headers.obj", value)
        value["a"].append(2)
        self.assertEqual(ctx["headers"]["obj"], {"a": [1]})

    def test_path_set_creates_intermediate_dicts(self):
        ctx = make_ctx()
        rt.path_set(ctx, ".headers.a.b.c", 1)
        rt.path_set(ctx, ".status.phase", "processing")
        rt.path_set(ctx, ".headers.list[999:]", ["x"])
        self.assertEqual(ctx["headers"]["a"], {"b": {"c": 1}})
        self.assertEqual(ctx["status"], {"phase": "processing"})
        self.assertEqual(ctx["headers"]["list"], ["x"])

    def test_path_set_slice_needs_list(self):
        with self.assertRaises(TypeError):
            rt.path_set(make_ctx(), ".route.next[:0]", "abc")

    def test_path_set_index_out_of_range(self):
        with self.assertRaises(IndexError):
            rt.path_set(make_ctx(), ".route.next[7]", "x")

    def test_path_set_read_only_paths_denied(self):
        for path in (".id", ".parent_id", ".route", ".route.prev", ".route.curr", ".route.prev[0]", ".payload", "."):
            with self.subTest(path=path):
                with self.assertRaises(PermissionError):
                    rt.path_set(make_ctx(), path, "x")

    def test_path_del_allowed_and_denied(self):
        ctx = make_ctx()
        rt.path_del(ctx, ".headers.k")
        rt.path_del(ctx, ".route.next[0]")
        rt.path_del(ctx, ".headers.absent")
        rt.path_del(ctx, ".route.next[9]")
        self.assertEqual(ctx["headers"], {"x-key": 1})
        self.assertEqual(ctx["route"]["next"], ["d"])
        rt.path_del(ctx, ".status")
        self.assertNotIn("status", ctx)
        for path in (".id", ".route.curr", ".route.prev"):
            with self.subTest(path=path):
                with self.assertRaises(PermissionError):
                    rt.path_del(ctx, path)

    def test_path_del_slice_rejected(self):
        with self.assertRaises(ValueError):
            rt.path_del(make_ctx(), ".route.next[0:1]")


# --------------------------------------------------------------------------------------------------------------------
# Unit: handler loading
# --------------------------------------------------------------------------------------------------------------------


class LoadHandlerTests(unittest.TestCase):
    def assert_load_error(self, spec, fragment):
        with self.assertRaises(rt.HandlerLoadError) as ctx:
            rt.load_handler(spec)
        self.assertIn(fragment, str(ctx.exception))

    def test_load_handler_function(self):
        self.assertIs(rt.load_handler("handlers.echo"), handlers.echo)

    def test_load_handler_longest_module_prefix(self):
        self.assertEqual(rt.load_handler("fixture_pkg.sub.func")(1), {"from": "fixture_pkg.sub", "payload": 1})
        self.assertEqual(rt.load_handler("fixture_pkg.sub.Worker.process")(2), {"worker": True, "payload": 2})

    def test_load_handler_missing(self):
        self.assert_load_error("", "ASYA_HANDLER is not set")

    def test_load_handler_no_dot(self):
        self.assert_load_error("handlers", "is invalid")

    def test_load_handler_special_chars(self):
        for spec in ("handlers.echo!", "handlers/echo", "handlers.ec-ho", "1handlers.echo", "handlers..echo", "a.b;rm"):
            with self.subTest(spec=spec):
                self.assert_load_error(spec, "is invalid")

    def test_load_handler_module_not_found(self):
        self.assert_load_error("no_such_module_xyz.func", "module 'no_such_module_xyz' not found")

    def test_load_handler_missing_dependency_reported(self):
        self.assert_load_error("broken_dependency.handler", "asya_missing_dependency_xyz")

    def test_load_handler_attribute_missing(self):
        self.assert_load_error("handlers.does_not_exist", "has no attribute 'does_not_exist'")

    def test_load_handler_not_callable(self):
        self.assert_load_error("handlers.not_callable", "is not callable")

    def test_load_handler_too_many_parts(self):
        self.assert_load_error("handlers.Counter.process.extra", "expected 'func' or 'Class.method'")

    def test_load_handler_class_instance_keeps_state(self):
        method = rt.load_handler("handlers.Counter.process")
        self.assertEqual([method(None), method(None)], [{"count": 1}, {"count": 2}])

    def test_load_handler_class_default_and_var_params_ok(self):
        self.assertEqual(rt.load_handler("handlers.WithKwargs.process")(None), {"kwargs": {}})

    def test_load_handler_class_params_without_defaults_fail(self):
        self.assert_load_error("handlers.NeedsArg.process", "'model' have no default")

    def test_load_handler_class_missing_method_fails(self):
        self.assert_load_error("handlers.Counter.nope", "has no method 'nope'")

    def test_load_handler_class_non_callable_method_fails(self):
        self.assert_load_error("handlers.Counter.value", "is not callable")

    def test_load_handler_class_init_raising_fails(self):
        self.assert_load_error("handlers.InitRaises.process", "init failed on purpose")

    def test_load_handler_not_a_class_fails(self):
        self.assert_load_error("handlers.echo.process", "is not a class")

    def test_handler_kind(self):
        self.assertEqual(rt.handler_kind(handlers.echo), "sync")
        self.assertEqual(rt.handler_kind(handlers.async_echo), "async")
        self.assertEqual(rt.handler_kind(handlers.fan_out), "generator")
        self.assertEqual(rt.handler_kind(handlers.async_gen), "async generator")
        self.assertEqual(rt.handler_kind(handlers.Counter().process_gen), "generator method")


# --------------------------------------------------------------------------------------------------------------------
# Unit: invocation without a socket
# --------------------------------------------------------------------------------------------------------------------


class InvokeTests(unittest.TestCase):
    def test_invoke_return_types_single_frame(self):
        cases = [
            (handlers.return_string, "hello"),
            (handlers.return_number, 42.5),
            (handlers.return_list, [1, {"two": 2}, "three"]),
            (handlers.return_tuple, [1, "a"]),
            (handlers.return_namedtuple, {"left": "l", "right": "r"}),
        ]
        for handler, expected in cases:
            with self.subTest(handler=handler.__name__):
                status, body, _ = invoke_in_process(handler, envelope({"in": 1}))
                self.assertEqual(status, 200)
                self.assertEqual(len(body["frames"]), 1)
                self.assertEqual(body["frames"][0]["payload"], expected)

    def test_invoke_none_is_204(self):
        status, body, raw = invoke_in_process(handlers.return_none, envelope(1))
        self.assertEqual((status, raw), (204, b""))

    def test_invoke_route_advance_multi_actor(self):
        _, body, _ = invoke_in_process(handlers.echo, envelope(1, prev=["p"], curr="me", nxt=["a", "b"]))
        self.assertEqual(body["frames"][0]["route"], {"prev": ["p", "me"], "curr": "a", "next": ["b"]})

    def test_invoke_route_advance_end_of_route(self):
        _, body, _ = invoke_in_process(handlers.echo, envelope(1, curr="me"))
        self.assertEqual(body["frames"][0]["route"], {"prev": ["me"], "curr": "", "next": []})

    def test_invoke_headers_and_status_carried(self):
        status_block = {"phase": "processing", "actor": "me", "attempt": 1}
        env = envelope(1, headers={"trace_id": "t-1"}, status=status_block, parent_id="p-0")
        _, body, _ = invoke_in_process(handlers.echo, env)
        frame = body["frames"][0]
        self.assertEqual(frame["headers"], {"trace_id": "t-1"})
        self.assertEqual(frame["status"], status_block)
        self.assertEqual(sorted(frame), ["headers", "payload", "route", "status"])

    def test_invoke_empty_headers_omitted(self):
        _, body, _ = invoke_in_process(handlers.echo, envelope(1, headers={}))
        self.assertEqual(sorted(body["frames"][0]), ["payload", "route"])

    def test_invoke_validation_error_is_400(self):
        status, body, _ = invoke_in_process(handlers.echo, b'{"payload": 1}')
        self.assertEqual(status, 400)
        self.assertEqual(body["error"], "msg_parsing_error")
        self.assertIn("'route'", body["details"]["message"])
        self.assertEqual(body["details"]["type"], "ValueError")

    def test_invoke_validation_off_tolerates_missing_route(self):
        status, body, _ = invoke_in_process(handlers.echo, b'{"payload": 3}', validate=False)
        self.assertEqual(status, 200)
        self.assertEqual(body["frames"][0], {"payload": 3, "route": {"prev": [""], "curr": "", "next": []}})

    def test_invoke_exceptions_are_500(self):
        cases = [
            (handlers.raise_value_error, "ValueError", ["Exception"], "Intentional test failure"),
            (handlers.raise_runtime_error, "RuntimeError", ["Exception"], "generic runtime failure"),
            (handlers.raise_memory_error, "MemoryError", ["Exception"], "simulated out of memory"),
            (handlers.raise_nested, "handlers.Outer.InnerError", ["handlers.BaseAppError", "Exception"], "nested"),
            (handlers.unserializable, "TypeError", ["Exception"], "not JSON serializable"),
            (handlers.return_nan, "ValueError", ["Exception"], "JSON compliant"),
        ]
        for handler, type_name, mro, message in cases:
            with self.subTest(handler=handler.__name__):
                status, body, _ = invoke_in_process(handler, envelope(1))
                self.assertEqual(status, 500)
                self.assertEqual(body["error"], "processing_error")
                self.assertEqual(body["details"]["type"], type_name)
                self.assertEqual(body["details"]["mro"], mro)
                self.assertIn(message, body["details"]["message"])
                self.assertIn("Traceback", body["details"]["traceback"])

    def test_invoke_async_handler(self):
        status, body, _ = invoke_in_process(handlers.async_echo, envelope({"a": 1}))
        self.assertEqual((status, body["frames"][0]["payload"]), (200, {"async": True, "payload": {"a": 1}}))

    def test_invoke_async_none_and_error(self):
        self.assertEqual(invoke_in_process(handlers.async_none, envelope(1))[0], 204)
        status, body, _ = invoke_in_process(handlers.async_raise, envelope(1))
        self.assertEqual((status, body["details"]["type"]), (500, "ValueError"))

    def test_invoke_async_handlers_share_one_loop(self):
        runtime = rt.Runtime(handlers.async_loop_id)
        replies = [json.loads(runtime.invoke(body_of(envelope(i))).body) for i in range(3)]
        self.assertEqual(replies[-1]["frames"][0]["payload"], {"loops": 1})

    def test_invoke_generator_fan_out(self):
        _, events, _ = invoke_in_process(handlers.fan_out, envelope({"text": "t"}, curr="me", nxt=["n"]))
        self.assertEqual([e[0] for e in events], ["downstream"] * 3 + ["done"])
        self.assertEqual([e[1]["payload"]["index"] for e in events[:3]], [0, 1, 2])
        for _, frame in events[:3]:
            self.assertEqual(frame["route"], {"prev": ["me"], "curr": "n", "next": []})

    def test_invoke_generator_get(self):
        env = envelope(1, prev=["p0"], curr="me", nxt=["n1", "n2"], parent_id="par", headers={"x-key": "xv"})
        _, events, _ = invoke_in_process(handlers.gen_get, env)
        self.assertEqual(
            events[0][1]["payload"],
            {
                "id": "env-1",
                "parent_id": "par",
                "next_after_copy_mutation": ["n1", "n2"],
                "first_prev": "p0",
                "last_next": "n2",
                "missing": None,
                "quoted": "xv",
            },
        )

    def test_invoke_generator_reroute_reflected_per_frame(self):
        _, events, _ = invoke_in_process(handlers.gen_reroute, envelope(1, prev=["a"], curr="me", nxt=["z"]))
        routes = [e[1]["route"] for e in events if e[0] == "downstream"]
        self.assertEqual(
            routes,
            [
                {"prev": ["a", "me"], "curr": "b", "next": ["c"]},
                {"prev": ["a", "me"], "curr": "first", "next": ["b", "c", "last"]},
                {"prev": ["a", "me"], "curr": "", "next": []},
            ],
        )

    def test_invoke_generator_headers_and_status(self):
        env = envelope(1, headers={"keep": 1, "drop": 2}, status={"phase": "processing"})
        _, events, _ = invoke_in_process(handlers.gen_headers, env)
        frame = events[0][1]
        self.assertEqual(frame["headers"], {"keep": 1, "trace": "t-2", "nested": {"deep": 1}})
        self.assertEqual(frame["status"], {"phase": "processing", "note": "from-handler"})

    def test_invoke_generator_bare_yield_is_noop(self):
        _, events, _ = invoke_in_process(handlers.gen_bare_yield, envelope("p"))
        self.assertEqual([(e[0], e[1].get("payload")) for e in events], [("downstream", "p"), ("done", None)])

    def test_invoke_generator_empty_only_done(self):
        _, events, raw = invoke_in_process(handlers.gen_empty, envelope(1))
        self.assertEqual(raw, b"event: done\ndata: {}\n\n")

    def test_invoke_generator_fly_is_upstream(self):
        _, events, _ = invoke_in_process(handlers.gen_fly, envelope({"p": 1}))
        self.assertEqual(events[0], ("upstream", {"payload": {"type": "progress", "pct": 50}}))
        self.assertEqual(events[1][0], "downstream")

    def test_invoke_generator_abi_errors(self):
        cases = [
            (handlers.gen_forbidden, "PermissionError", ".route.prev"),
            (handlers.gen_forbidden_del, "PermissionError", ".id"),
            (handlers.gen_unknown_verb, "RuntimeError", "ABI protocol error: unknown verb 'PUT'"),
            (handlers.gen_bad_next, "TypeError", "route.next must be a list"),
        ]
        for handler, type_name, message in cases:
            with self.subTest(handler=handler.__name__):
                _, events, _ = invoke_in_process(handler, envelope(1))
                self.assertEqual([e[0] for e in events], ["error", "done"])
                self.assertEqual(events[0][1]["error"], "processing_error")
                self.assertEqual(events[0][1]["details"]["type"], type_name)
                self.assertIn(message, events[0][1]["details"]["message"])

    def test_invoke_generator_permission_error_mro(self):
        _, events, _ = invoke_in_process(handlers.gen_forbidden, envelope(1))
        self.assertEqual(events[0][1]["details"]["mro"], ["OSError", "Exception"])

    def test_invoke_generator_unserializable_stops_stream(self):
        _, events, _ = invoke_in_process(handlers.gen_unserializable, envelope(1))
        self.assertEqual([e[0] for e in events], ["downstream", "error", "done"])
        self.assertEqual(events[1][1]["details"]["type"], "TypeError")

    def test_invoke_generator_namedtuple_and_tuple_payloads(self):
        _, events, _ = invoke_in_process(handlers.gen_namedtuple_payload, envelope(1))
        self.assertEqual([e[1]["payload"] for e in events[:2]], [{"left": 1, "right": 2}, [1, 2]])

    def test_invoke_async_generator(self):
        _, events, _ = invoke_in_process(handlers.async_gen, envelope(1, headers={"h": 1}))
        self.assertEqual([e[0] for e in events], ["downstream"] * 3 + ["done"])
        self.assertEqual(events[2][1]["payload"], {"id_seen": "env-1"})
        self.assertEqual(events[2][1]["headers"], {"h": 1, "async": True})

    def test_invoke_async_generator_error(self):
        _, events, _ = invoke_in_process(handlers.async_gen_error, envelope(1))
        self.assertEqual([e[0] for e in events], ["downstream", "error", "done"])
        self.assertEqual(events[1][1]["details"]["type"], "KeyError")

    def test_stream_close_stops_handler_generator(self):
        handlers.closed_flags.clear()
        reply = rt.Runtime(handlers.gen_endless).invoke(body_of(envelope(1)))
        events = reply.events()
        self.assertTrue(next(events).startswith(b"event: downstream"))
        reply.close()
        self.assertEqual(handlers.closed_flags, [True])

    def test_invoke_class_method_kinds(self):
        counter = handlers.Counter(start=10)
        self.assertEqual(invoke_in_process(counter.process, envelope(1))[1]["frames"][0]["payload"], {"count": 11})
        self.assertEqual(
            invoke_in_process(counter.process_async, envelope(1))[1]["frames"][0]["payload"], {"count": 12}
        )
        _, events, _ = invoke_in_process(counter.process_gen, envelope(1))
        self.assertEqual([e[1].get("payload") for e in events], [{"count": 13}, {"count": 13, "again": True}, None])


# --------------------------------------------------------------------------------------------------------------------
# Protocol: a real runtime subprocess
# --------------------------------------------------------------------------------------------------------------------


class EchoProtocolTests(RuntimeCase):
    HANDLER = "handlers.echo"

    def test_invoke_reference_example_exact(self):
        env = {"id": "dbg-1", "route": {"prev": [], "curr": "my-actor", "next": []}, "payload": {"x": 1}}
        status, headers, raw = self.runtime.invoke(env)
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "application/json")
        self.assertEqual(int(headers["content-length"]), len(raw))
        self.assertEqual(raw, b'{"frames":[{"payload":{"x":1},"route":{"prev":["my-actor"],"curr":"","next":[]}}]}')

    def test_invoke_headers_status_preserved(self):
        env = envelope({"a": 1}, prev=["x"], nxt=["y", "z"], headers={"trace_id": "t"}, status={"phase": "processing"})
        env["parent_id"] = "parent-0"
        status, body = self.runtime.invoke_json(env)
        frame = body["frames"][0]
        self.assertEqual(status, 200)
        self.assertEqual(frame["route"], {"prev": ["x", "me"], "curr": "y", "next": ["z"]})
        self.assertEqual(frame["headers"], {"trace_id": "t"})
        self.assertEqual(frame["status"], {"phase": "processing"})

    def test_invoke_large_payload_round_trips(self):
        for size in (10 * 1024, 100 * 1024, 500 * 1024, 1024 * 1024, 5 * 1024 * 1024, 10 * 1024 * 1024):
            with self.subTest(size=size):
                payload = {"data": "x" * size}
                status, body = self.runtime.invoke_json(envelope(payload))
                self.assertEqual(status, 200)
                self.assertEqual(len(body["frames"][0]["payload"]["data"]), size)

    def test_invoke_unicode_and_special_characters(self):
        payload = {"text": "Привет 世界 🎉 é", "quotes": "\"'\\\n\t", "nul": "\u0000"}
        status, body = self.runtime.invoke_json(envelope(payload))
        self.assertEqual((status, body["frames"][0]["payload"]), (200, payload))

    def test_invoke_deeply_nested(self):
        payload = current = {}
        for _ in range(200):
            current["n"] = {}
            current = current["n"]
        status, body = self.runtime.invoke_json(envelope(payload))
        self.assertEqual((status, body["frames"][0]["payload"]), (200, payload))

    def test_invoke_empty_ish_payloads(self):
        for value in ({}, [], "", 0, False):
            with self.subTest(value=value):
                status, body = self.runtime.invoke_json(envelope(value))
                self.assertEqual((status, body["frames"][0]["payload"]), (200, value))

    def test_invoke_null_payload_echoed_is_204(self):
        # Echoing null means the handler returned None: "no result", not an error.
        status, _, raw = self.runtime.invoke(envelope(None))
        self.assertEqual((status, raw), (204, b""))

    def test_invoke_bad_bodies_are_400(self):
        cases = [
            (b"", "Missing request body"),
            (b"{oops", "not valid JSON"),
            (b'{"payload":"\xff"}', "not valid UTF-8"),
            (b'{"payload": 1}', "'route'"),
            (b'{"route": {"prev": [], "curr": "me", "next": []}}', "'payload'"),
        ]
        for body, fragment in cases:
            with self.subTest(body=body):
                status, headers, raw = self.runtime.invoke(body)
                self.assertEqual(status, 400)
                self.assertEqual(headers["content-type"], "application/json")
                parsed = json.loads(raw)
                self.assertEqual(parsed["error"], "msg_parsing_error")
                self.assertIn(fragment, parsed["details"]["message"])

    def test_invoke_chunked_body_accepted(self):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(IO_TIMEOUT)
        self.addCleanup(sock.close)
        sock.connect(self.runtime.socket_path)
        body = body_of(envelope({"c": 1}))
        chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
        sock.sendall(b"POST /invoke HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunked)
        raw = b""
        while True:
            data = sock.recv(65536)
            if not data:
                break
            raw += data
        head, _, payload = raw.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 200 OK"))
        self.assertEqual(json.loads(payload)["frames"][0]["payload"], {"c": 1})

    def test_pipelined_requests_on_one_connection(self):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(IO_TIMEOUT)
        self.addCleanup(sock.close)
        sock.connect(self.runtime.socket_path)
        requests = b""
        for i in range(2):
            body = body_of(envelope({"n": i}))
            requests += b"POST /invoke HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
        sock.sendall(requests + b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        raw = b""
        while True:
            data = sock.recv(65536)
            if not data:
                break
            raw += data
        self.assertEqual(raw.count(b"HTTP/1.1 200 OK"), 3)
        self.assertIn(b'"payload":{"n":0}', raw)
        self.assertIn(b'"payload":{"n":1}', raw)
        self.assertTrue(raw.endswith(b'{"status":"ready"}'))

    def test_healthz(self):
        status, headers, raw = self.runtime.request("GET", "/healthz")
        self.assertEqual((status, json.loads(raw)), (200, {"status": "ready"}))

    def test_unknown_paths_are_404(self):
        for method, path in (("GET", "/nope"), ("GET", "/invoke"), ("POST", "/healthz"), ("POST", "/invoke/x")):
            with self.subTest(method=method, path=path):
                self.assertEqual(self.runtime.request(method, path, body=b"{}")[0], 404)

    def test_keep_alive_two_requests_one_connection(self):
        conn = self.runtime.connection()
        self.addCleanup(conn.close)
        socks = []
        for i in range(2):
            conn.request("POST", "/invoke", body=body_of(envelope({"i": i})))
            resp = conn.getresponse()
            body = json.loads(resp.read())
            self.assertEqual((resp.status, body["frames"][0]["payload"]), (200, {"i": i}))
            self.assertIsNone(resp.getheader("Connection"))
            socks.append(conn.sock)
        self.assertIsNotNone(socks[0])
        self.assertIs(socks[0], socks[1])

    def test_idle_keep_alive_connection_does_not_block_others(self):
        idle = self.runtime.connection()
        self.addCleanup(idle.close)
        idle.request("GET", "/healthz")
        idle.getresponse().read()
        status, body = self.runtime.invoke_json(envelope("other"))
        self.assertEqual((status, body["frames"][0]["payload"]), (200, "other"))

    def test_connection_close_honoured(self):
        conn = self.runtime.connection()
        self.addCleanup(conn.close)
        conn.request("POST", "/invoke", body=body_of(envelope(1)), headers={"Connection": "close"})
        resp = conn.getresponse()
        resp.read()
        self.assertEqual(resp.getheader("Connection"), "close")


class ReturnTypesProtocolTests(unittest.TestCase):
    def test_null_payload_reaches_handler(self):
        runtime = start_runtime(self, "handlers.wrap")
        status, body = runtime.invoke_json(envelope(None))
        self.assertEqual((status, body["frames"][0]["payload"]), (200, {"got": None}))

    def test_string_and_number_results(self):
        for handler, expected in (("handlers.return_string", "hello"), ("handlers.return_number", 42.5)):
            with self.subTest(handler=handler):
                runtime = start_runtime(self, handler)
                self.assertEqual(runtime.invoke_json(envelope(1))[1]["frames"][0]["payload"], expected)

    def test_return_none_is_204(self):
        runtime = start_runtime(self, "handlers.return_none")
        status, headers, raw = runtime.invoke(envelope({"a": 1}))
        self.assertEqual((status, raw), (204, b""))

    def test_return_list_is_one_frame(self):
        runtime = start_runtime(self, "handlers.return_list")
        status, body = runtime.invoke_json(envelope(1))
        self.assertEqual(status, 200)
        self.assertEqual(body["frames"], [{"payload": [1, {"two": 2}, "three"], "route": {"prev": ["me"], "curr": "", "next": []}}])

    def test_rich_types_serialized(self):
        runtime = start_runtime(self, "handlers.rich_types")
        status, body = runtime.invoke_json(envelope(1))
        payload = body["frames"][0]["payload"]
        self.assertEqual(status, 200)
        self.assertEqual(payload["uuid"], "12345678-1234-5678-1234-567812345678")
        self.assertEqual(payload["datetime"], "2026-01-02T03:04:05+00:00")
        self.assertEqual(payload["dataclass"]["points"][1], {"x": 1, "y": 2})
        self.assertEqual(payload["pydantic2"], {"value": 7, "mode": "json"})
        self.assertEqual(payload["set"], [3])
        self.assertEqual(base64.b64decode(payload["bytes"]), b"\x00\x01hi")


class ErrorProtocolTests(unittest.TestCase):
    def assert_processing_error(self, handler, type_name, mro, message):
        runtime = start_runtime(self, handler)
        status, headers, raw = runtime.invoke(envelope(1))
        body = json.loads(raw)
        self.assertEqual(status, 500)
        self.assertEqual(headers["content-type"], "application/json")
        self.assertEqual(body["error"], "processing_error")
        self.assertEqual(sorted(body["details"]), ["message", "mro", "traceback", "type"])
        self.assertEqual(body["details"]["type"], type_name)
        self.assertEqual(body["details"]["mro"], mro)
        self.assertIn(message, body["details"]["message"])
        self.assertIn("Traceback (most recent call last)", body["details"]["traceback"])
        # The runtime keeps serving after a failure.
        self.assertEqual(runtime.request("GET", "/healthz")[0], 200)
        return runtime

    def test_value_error(self):
        runtime = self.assert_processing_error("handlers.raise_value_error", "ValueError", ["Exception"], "Intentional")
        self.assertIn("ValueError", runtime.stderr())

    def test_nested_custom_exception(self):
        self.assert_processing_error(
            "handlers.raise_nested", "handlers.Outer.InnerError", ["handlers.BaseAppError", "Exception"], "nested boom"
        )

    def test_memory_error(self):
        self.assert_processing_error("handlers.raise_memory_error", "MemoryError", ["Exception"], "simulated")

    def test_unserializable_result(self):
        self.assert_processing_error("handlers.unserializable", "TypeError", ["Exception"], "not JSON serializable")


class ConcurrencyProtocolTests(RuntimeCase):
    HANDLER = "handlers.barrier"

    def test_invocations_run_concurrently(self):
        results = []

        def call():
            results.append(self.runtime.invoke_json(envelope(1)))

        threads = [threading.Thread(target=call) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(IO_TIMEOUT)
        self.assertEqual([r[0] for r in results], [200, 200])


class AsyncProtocolTests(unittest.TestCase):
    def test_async_handler(self):
        runtime = start_runtime(self, "handlers.async_echo")
        status, body = runtime.invoke_json(envelope({"q": 1}))
        self.assertEqual((status, body["frames"][0]["payload"]), (200, {"async": True, "payload": {"q": 1}}))

    def test_async_generator(self):
        runtime = start_runtime(self, "handlers.async_gen")
        status, headers, raw = runtime.invoke(envelope(1))
        events = parse_sse(raw.decode())
        self.assertEqual(headers["content-type"], "text/event-stream")
        self.assertEqual([e[0] for e in events], ["downstream", "downstream", "downstream", "done"])


class GeneratorProtocolTests(unittest.TestCase):
    def test_fan_out_sse_exact(self):
        runtime = start_runtime(self, "handlers.fan_out")
        status, headers, raw = runtime.invoke(envelope({"text": "hi"}, prev=["a"], curr="me", nxt=["b"]))
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "text/event-stream")
        self.assertEqual(headers["connection"], "close")
        expected = b"".join(
            b'event: downstream\ndata: {"payload":{"index":%d,"text":"hi"},'
            b'"route":{"prev":["a","me"],"curr":"b","next":[]}}\n\n' % i
            for i in range(3)
        )
        self.assertEqual(raw, expected + b"event: done\ndata: {}\n\n")

    def test_frames_stream_as_yielded(self):
        runtime = start_runtime(self, "handlers.gen_error_mid")
        conn = runtime.connection()
        self.addCleanup(conn.close)
        conn.request("POST", "/invoke", body=body_of(envelope(1)))
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        events = parse_sse(resp.read().decode())
        self.assertEqual([e[0] for e in events], ["downstream", "error", "done"])
        self.assertEqual(events[0][1]["payload"], {"n": 1})
        self.assertEqual(events[1][1]["error"], "processing_error")
        self.assertEqual(events[1][1]["details"]["type"], "RuntimeError")
        self.assertEqual(events[1][1]["details"]["message"], "mid-stream failure")
        self.assertEqual(events[2][1], {})

    def test_fly_upstream_and_reroute(self):
        runtime = start_runtime(self, "handlers.gen_fly")
        _, _, raw = runtime.invoke(envelope({"p": 1}))
        self.assertTrue(raw.startswith(b'event: upstream\ndata: {"payload":{"type":"progress","pct":50}}\n\n'))

    def test_route_next_rewrite_and_permission_error(self):
        runtime = start_runtime(self, "handlers.gen_reroute")
        _, _, raw = runtime.invoke(envelope(1, curr="me", nxt=["z"]))
        events = parse_sse(raw.decode())
        self.assertEqual(events[0][1]["route"], {"prev": ["me"], "curr": "b", "next": ["c"]})
        forbidden = start_runtime(self, "handlers.gen_forbidden")
        _, _, raw = forbidden.invoke(envelope(1))
        events = parse_sse(raw.decode())
        self.assertEqual([e[0] for e in events], ["error", "done"])
        self.assertEqual(events[0][1]["details"]["type"], "PermissionError")

    def test_keep_alive_after_stream_uses_new_connection(self):
        runtime = start_runtime(self, "handlers.fan_out")
        for _ in range(2):
            status, _, raw = runtime.invoke(envelope({"text": "x"}))
            self.assertEqual((status, raw.count(b"event: downstream")), (200, 3))


class ClassHandlerProtocolTests(unittest.TestCase):
    def test_state_kept_across_calls(self):
        runtime = start_runtime(self, "handlers.Counter.process")
        counts = [runtime.invoke_json(envelope(1))[1]["frames"][0]["payload"]["count"] for _ in range(3)]
        self.assertEqual(counts, [1, 2, 3])

    def test_class_generator_method(self):
        runtime = start_runtime(self, "handlers.Counter.process_gen")
        _, _, raw = runtime.invoke(envelope(1))
        self.assertEqual(raw.count(b"event: downstream"), 2)

    def test_package_submodule_class(self):
        runtime = start_runtime(self, "fixture_pkg.sub.Worker.process")
        self.assertEqual(runtime.invoke_json(envelope(5))[1]["frames"][0]["payload"], {"worker": True, "payload": 5})


class LoadErrorProtocolTests(unittest.TestCase):
    def assert_fatal(self, handler, fragment, env=None):
        code, stderr = run_until_exit(self, handler, env)
        self.assertEqual(code, 1, stderr)
        self.assertIn("FATAL", stderr)
        self.assertIn(fragment, stderr)

    def test_no_dot(self):
        self.assert_fatal("handlers", "is invalid")

    def test_module_not_found(self):
        self.assert_fatal("nope_module_xyz.f", "not found")

    def test_params_without_defaults(self):
        self.assert_fatal("handlers.NeedsArg.process", "have no default")

    def test_init_raises(self):
        self.assert_fatal("handlers.InitRaises.process", "init failed on purpose")

    def test_missing_handler_env(self):
        self.assert_fatal("", "ASYA_HANDLER is not set")

    def test_bad_chmod(self):
        self.assert_fatal("handlers.echo", "ASYA_SOCKET_CHMOD", {"ASYA_SOCKET_CHMOD": "rw-rw----"})

    def test_bad_validation_flag(self):
        self.assert_fatal("handlers.echo", "ASYA_ENABLE_VALIDATION", {"ASYA_ENABLE_VALIDATION": "maybe"})

    def test_no_socket_or_ready_file_after_load_error(self):
        runtime = RuntimeProcess("handlers.not_callable")
        self.addCleanup(runtime.stop)
        self.assertEqual(runtime.wait_exit(), 1)
        self.assertFalse(os.path.exists(runtime.ready_path))
        self.assertFalse(os.path.exists(runtime.socket_path))


class SocketLifecycleTests(unittest.TestCase):
    def test_default_mode_0660_and_ready_file(self):
        runtime = start_runtime(self, "handlers.echo")
        self.assertTrue(stat.S_ISSOCK(os.stat(runtime.socket_path).st_mode))
        self.assertEqual(stat.S_IMODE(os.stat(runtime.socket_path).st_mode), 0o660)
        with open(runtime.ready_path) as handle:
            self.assertEqual(handle.read(), "ready\n%d\n" % runtime.proc.pid)
        self.assertEqual([n for n in os.listdir(runtime.socket_dir) if n.endswith(".tmp")], [])

    def test_custom_chmod(self):
        runtime = start_runtime(self, "handlers.echo", {"ASYA_SOCKET_CHMOD": "0o600"})
        self.assertEqual(stat.S_IMODE(os.stat(runtime.socket_path).st_mode), 0o600)

    def test_empty_chmod_skips(self):
        runtime = start_runtime(self, "handlers.echo", {"ASYA_SOCKET_CHMOD": ""})
        self.assertEqual(runtime.request("GET", "/healthz")[0], 200)

    def test_custom_socket_name(self):
        directory = short_tempdir()
        self.addCleanup(shutil.rmtree, directory, True)
        runtime = RuntimeProcess("handlers.echo", {"ASYA_SOCKET_NAME": "other.sock"}, socket_dir=directory)
        self.addCleanup(runtime.stop)
        runtime.wait_ready()
        self.assertTrue(os.path.exists(os.path.join(directory, "other.sock")))

    def test_stale_socket_and_ready_file_replaced(self):
        directory = short_tempdir()
        self.addCleanup(shutil.rmtree, directory, True)
        stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        stale.bind(os.path.join(directory, "asya-runtime.sock"))
        stale.close()
        with open(os.path.join(directory, "runtime-ready"), "w") as handle:
            handle.write("ready\n1\n")
        runtime = start_runtime(self, "handlers.echo", socket_dir=directory)
        with open(runtime.ready_path) as handle:
            self.assertEqual(handle.read(), "ready\n%d\n" % runtime.proc.pid)
        self.assertEqual(runtime.invoke_json(envelope("after-stale"))[0], 200)

    def test_directory_at_socket_path_is_fatal(self):
        directory = short_tempdir()
        self.addCleanup(shutil.rmtree, directory, True)
        os.mkdir(os.path.join(directory, "asya-runtime.sock"))
        code, stderr = run_until_exit(self, "handlers.echo", socket_dir=directory)
        self.assertEqual(code, 1)
        self.assertIn("is a directory", stderr)
        self.assertFalse(os.path.exists(os.path.join(directory, "runtime-ready")))

    def test_sigterm_removes_socket_and_ready_file(self):
        for sig in (signal.SIGTERM, signal.SIGINT):
            with self.subTest(signal=sig):
                runtime = start_runtime(self, "handlers.echo")
                conn = runtime.connection()
                self.addCleanup(conn.close)
                conn.request("GET", "/healthz")  # an idle keep-alive connection must not block shutdown
                conn.getresponse().read()
                runtime.proc.send_signal(sig)
                self.assertEqual(runtime.wait_exit(), 0, runtime.stderr())
                self.assertFalse(os.path.exists(runtime.socket_path))
                self.assertFalse(os.path.exists(runtime.ready_path))

    def test_validation_disabled_by_env(self):
        runtime = start_runtime(self, "handlers.echo", {"ASYA_ENABLE_VALIDATION": "false"})
        status, body = runtime.invoke_json(b'{"payload": 7}')
        self.assertEqual((status, body["frames"][0]["payload"]), (200, 7))


class ParentWatchTests(unittest.TestCase):
    """ASYA_PARENT_PID: a runtime never outlives the sidecar that started it, even one killed with SIGKILL."""

    def test_parent_killed_runtime_exits_and_cleans_up(self):
        parent = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        self.addCleanup(parent.wait)
        self.addCleanup(parent.kill)
        runtime = start_runtime(self, "handlers.echo", {"ASYA_PARENT_PID": str(parent.pid)})
        self.assertEqual(runtime.request("GET", "/healthz")[0], 200, "runtime must serve while its sidecar lives")
        parent.kill()
        parent.wait()
        self.assertEqual(runtime.wait_exit(), 0, runtime.stderr())
        self.assertIn("sidecar pid %d is gone" % parent.pid, runtime.stderr())
        self.assertFalse(os.path.exists(runtime.socket_path))
        self.assertFalse(os.path.exists(runtime.ready_path))

    def test_invalid_parent_pid_is_fatal_naming_the_variable(self):
        for raw in ("abc", "1", "-4"):
            with self.subTest(value=raw):
                code, stderr = run_until_exit(self, "handlers.echo", {"ASYA_PARENT_PID": raw})
                self.assertEqual(code, 1)
                self.assertIn("ASYA_PARENT_PID", stderr)


# --------------------------------------------------------------------------------------------------------------------
# JSON depth limit (ASYA_MAX_JSON_DEPTH, shared with the sidecar and the CLI)
# --------------------------------------------------------------------------------------------------------------------


def nested_list(depth):
    return json.loads("[" * depth + "]" * depth)


class JsonDepthTests(unittest.TestCase):
    def test_input_500_deep_accepted(self):
        status, body, _ = invoke_in_process(handlers.echo, envelope(nested_list(500)))
        self.assertEqual(status, 200)
        self.assertEqual(rt.json_depth(body["frames"][0]["payload"]), 500)

    def test_input_past_limit_rejected_naming_limit(self):
        raw = b'{"id":"d","route":{"prev":[],"curr":"me","next":[]},"payload":' + b"[" * 600 + b"]" * 600 + b"}"
        status, body, _ = invoke_in_process(handlers.echo, raw)
        self.assertEqual((status, body["error"]), (400, "msg_parsing_error"))
        self.assertIn("JSON depth limit of 512 (ASYA_MAX_JSON_DEPTH)", body["details"]["message"])

    def test_result_70_deep_returned(self):
        status, body, _ = invoke_in_process(handlers.nest, envelope({"depth": 70}))
        self.assertEqual(status, 200)
        self.assertEqual(rt.json_depth(body["frames"][0]["payload"]), 70)

    def test_result_past_limit_is_processing_error_naming_limit(self):
        for handler in (handlers.nest, handlers.gen_nest):
            with self.subTest(handler=handler.__name__):
                status, body, _ = invoke_in_process(handler, envelope({"depth": 600}))
                details = body["details"] if status == 500 else dict(body)["error"]["details"]
                self.assertIn("JSON depth limit of 512 (ASYA_MAX_JSON_DEPTH)", details["message"])
                self.assertEqual(details["type"], "asya_runtime.JsonDepthError")

    def test_configured_limit_above_python_recursion_limit(self):
        # Built as text: this test process keeps Python's default recursion limit, which 2500 levels exceed.
        runtime = start_runtime(self, "handlers.echo", {"ASYA_MAX_JSON_DEPTH": "3000"})
        raw = b'{"id":"d","route":{"prev":[],"curr":"me","next":[]},"payload":' + b"[" * 2500 + b"]" * 2500 + b"}"
        status, _, reply = runtime.invoke(raw)
        self.assertEqual(status, 200, reply[:300])
        self.assertTrue(reply.startswith(b'{"frames":[{"payload":' + b"[" * 2500 + b"]"), reply[:100])

    def test_bad_limit_is_fatal_naming_variable(self):
        code, stderr = run_until_exit(self, "handlers.echo", {"ASYA_MAX_JSON_DEPTH": "deep"})
        self.assertEqual(code, 1)
        self.assertIn("ASYA_MAX_JSON_DEPTH", stderr)


if __name__ == "__main__":
    unittest.main()
