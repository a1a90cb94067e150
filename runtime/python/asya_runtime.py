#!/usr/bin/env python3
"""Asya Python runtime: serves one user handler to the sidecar over HTTP/1.1 on a Unix socket.

Single file, standard library only, Python >= 3.9. The wire format is the Asya [v1] protocol
(docs/design.md section 3): ``POST /invoke`` with an envelope, replies ``{"frames": [...]}``, 204, an SSE stream
for generator handlers, or ``msg_parsing_error`` / ``processing_error`` bodies.
"""

import asyncio
import atexit
import base64
import copy
import dataclasses
import datetime
import decimal
import functools
import importlib
import inspect
import json
import logging
import os
import queue
import re
import signal
import socket
import sys
import threading
import time
import traceback
import types
import uuid

__all__ = [
    "HandlerLoadError",
    "load_handler",
    "parse_path",
    "path_get",
    "path_set",
    "path_del",
    "Runtime",
    "main",
]

LOG = logging.getLogger("asya.runtime")

READY_FILE_NAME = "runtime-ready"
DEFAULT_SOCKET_DIR = "/var/run/asya"
DEFAULT_SOCKET_NAME = "asya-runtime.sock"
DEFAULT_SOCKET_CHMOD = "0o660"

# One nesting limit for the sidecar, the CLI and this runtime (counted as System.Text.Json does: a scalar is 0, [] is 1).
DEFAULT_MAX_JSON_DEPTH = 512
MAX_JSON_DEPTH_VARIABLE = "ASYA_MAX_JSON_DEPTH"
PARENT_PID_VARIABLE = "ASYA_PARENT_PID"
PARENT_POLL_SECONDS = 0.2
_MAX_MAX_JSON_DEPTH = 10000

MSG_PARSING_ERROR = "msg_parsing_error"
PROCESSING_ERROR = "processing_error"

_HANDLER_RE = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*(\.[a-zA-Z_][a-zA-Z0-9_]*)+$")
_TRUE_WORDS = frozenset(("1", "true", "yes", "on"))
_FALSE_WORDS = frozenset(("0", "false", "no", "off"))

# Request limits keep a broken or hostile client from growing memory without bound in the header phase.
_MAX_LINE = 65536
_MAX_HEADERS = 100
_IDLE_WORKER_SECONDS = 60.0


# --------------------------------------------------------------------------------------------------------------------
# Handler loading
# --------------------------------------------------------------------------------------------------------------------


class HandlerLoadError(Exception):
    """ASYA_HANDLER could not be turned into a callable."""


def load_handler(spec):
    """Resolve ``module.func`` or ``module.Class.method`` into a callable.

    The module is the longest importable dotted prefix; a class is instantiated once with no arguments.
    """
    if not spec:
        raise HandlerLoadError("ASYA_HANDLER is not set (expected 'module.func' or 'module.Class.method')")
    if not _HANDLER_RE.match(spec):
        raise HandlerLoadError(
            "ASYA_HANDLER=%r is invalid: expected dotted Python identifiers like 'module.func' or "
            "'module.Class.method'" % (spec,)
        )
    if os.getcwd() not in sys.path and "" not in sys.path:
        sys.path.insert(0, os.getcwd())

    parts = spec.split(".")
    module = None
    split = 0
    for split in range(len(parts) - 1, 0, -1):
        module_name = ".".join(parts[:split])
        try:
            module = importlib.import_module(module_name)
            break
        except ModuleNotFoundError as exc:
            # Only "this prefix is not a module" means "try a shorter prefix"; a missing dependency
            # imported by the handler module is a real error the user must see.
            if exc.name is not None and (module_name == exc.name or module_name.startswith(exc.name + ".")):
                continue
            raise HandlerLoadError("ASYA_HANDLER=%r: importing module %r failed: %s" % (spec, module_name, exc))
        except Exception as exc:
            raise HandlerLoadError(
                "ASYA_HANDLER=%r: importing module %r failed: %s: %s"
                % (spec, module_name, type(exc).__name__, exc)
            )
    if module is None:
        raise HandlerLoadError(
            "ASYA_HANDLER=%r: module %r not found (searched the current directory and PYTHONPATH)"
            % (spec, parts[0])
        )

    attrs = parts[split:]
    if len(attrs) == 1:
        target = getattr(module, attrs[0], None)
        if target is None:
            raise HandlerLoadError(
                "ASYA_HANDLER=%r: module %r has no attribute %r" % (spec, module.__name__, attrs[0])
            )
        if not callable(target):
            raise HandlerLoadError(
                "ASYA_HANDLER=%r: %s.%s is not callable (it is a %s)"
                % (spec, module.__name__, attrs[0], type(target).__name__)
            )
        return target
    if len(attrs) == 2:
        return _load_method(spec, module, attrs[0], attrs[1])
    raise HandlerLoadError(
        "ASYA_HANDLER=%r: %r is not an attribute path of module %r (expected 'func' or 'Class.method')"
        % (spec, ".".join(attrs), module.__name__)
    )


def _load_method(spec, module, class_name, method_name):
    cls = getattr(module, class_name, None)
    if cls is None:
        raise HandlerLoadError("ASYA_HANDLER=%r: module %r has no class %r" % (spec, module.__name__, class_name))
    if not inspect.isclass(cls):
        raise HandlerLoadError(
            "ASYA_HANDLER=%r: %s.%s is not a class (it is a %s)"
            % (spec, module.__name__, class_name, type(cls).__name__)
        )
    try:
        signature = inspect.signature(cls)
    except (TypeError, ValueError):
        signature = None
    if signature is not None:
        required = [
            p.name
            for p in signature.parameters.values()
            if p.default is inspect.Parameter.empty
            and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
        ]
        if required:
            raise HandlerLoadError(
                "ASYA_HANDLER=%r: class %s.%s cannot be instantiated without arguments: __init__ parameter(s) %s "
                "have no default" % (spec, module.__name__, class_name, ", ".join(repr(n) for n in required))
            )
    try:
        instance = cls()
    except Exception as exc:
        raise HandlerLoadError(
            "ASYA_HANDLER=%r: %s.%s() raised %s: %s" % (spec, module.__name__, class_name, _type_name(type(exc)), exc)
        )
    method = getattr(instance, method_name, None)
    if method is None:
        raise HandlerLoadError(
            "ASYA_HANDLER=%r: class %s.%s has no method %r" % (spec, module.__name__, class_name, method_name)
        )
    if not callable(method):
        raise HandlerLoadError(
            "ASYA_HANDLER=%r: %s.%s.%s is not callable (it is a %s)"
            % (spec, module.__name__, class_name, method_name, type(method).__name__)
        )
    return method


def handler_kind(handler):
    """Human-readable kind, for the startup log only (dispatch looks at what a call returns)."""
    func = getattr(handler, "__func__", handler)
    if inspect.isasyncgenfunction(func):
        kind = "async generator"
    elif inspect.isgeneratorfunction(func):
        kind = "generator"
    elif inspect.iscoroutinefunction(func):
        kind = "async"
    else:
        kind = "sync"
    if inspect.ismethod(handler):
        kind += " method"
    return kind


# --------------------------------------------------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------------------------------------------------


def _json_default(obj):
    model_dump = getattr(obj, "model_dump", None)
    if model_dump is not None and callable(model_dump):
        return model_dump(mode="json")
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        # Shallow: the encoder comes back here for nested objects.
        return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
    if isinstance(obj, (datetime.date, datetime.time)):
        return obj.isoformat()
    if isinstance(obj, (uuid.UUID, decimal.Decimal)):
        return str(obj)
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(obj)).decode("ascii")
    if isinstance(obj, (set, frozenset)):
        return list(obj)
    as_dict = getattr(obj, "dict", None)
    if as_dict is not None and callable(as_dict) and hasattr(obj, "__fields__"):
        return as_dict()
    raise TypeError("Object of type %s is not JSON serializable" % (_type_name(type(obj)),))


_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=_json_default)
_ASCII_ENCODER = json.JSONEncoder(ensure_ascii=True, allow_nan=False, separators=(",", ":"), default=_json_default)


def _reject_constant(name):
    raise ValueError("%s is not valid JSON" % (name,))


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def _is_namedtuple(obj):
    return isinstance(obj, tuple) and hasattr(obj, "_fields") and hasattr(obj, "_asdict")


def dumps(obj):
    """Compact UTF-8 JSON with the runtime's extra types."""
    text = _ENCODER.encode(obj)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates cannot be UTF-8; \u escapes keep them representable.
        return _ASCII_ENCODER.encode(obj).encode("ascii")


def _payload_value(value):
    # The JSON encoder writes tuples as arrays before any hook runs, so named tuples are converted here.
    if _is_namedtuple(value):
        return value._asdict()
    return value


# --------------------------------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------------------------------


def _type_name(cls):
    module = getattr(cls, "__module__", None)
    qualname = getattr(cls, "__qualname__", cls.__name__)
    if not module or module == "builtins":
        return qualname
    return module + "." + qualname


def error_details(exc, with_traceback=True):
    """``{message, type, mro, traceback}`` for an exception (docs/design.md section 3)."""
    cls = type(exc)
    mro = [_type_name(c) for c in cls.__mro__[1:] if c is not object and c is not BaseException]
    tb = ""
    if with_traceback:
        tb = "".join(traceback.format_exception(cls, exc, exc.__traceback__))
    try:
        message = str(exc)
    except Exception:  # a broken __str__ must not hide the original failure
        message = "<unprintable %s>" % (cls.__name__,)
    return {"message": message, "type": _type_name(cls), "mro": mro, "traceback": tb}


def parsing_error_body(message):
    """Body of a 400 reply; the details have the same shape as a processing error's."""
    return dumps(
        {
            "error": MSG_PARSING_ERROR,
            "details": {"message": message, "type": "ValueError", "mro": ["Exception"], "traceback": ""},
        }
    )


def _describe(exc):
    """Exception type and a bounded message for logs (messages may quote handler data; keep them short)."""
    try:
        message = str(exc)
    except Exception:
        message = "<unprintable>"
    if len(message) > 300:
        message = message[:300] + "..."
    return "%s: %s" % (_type_name(type(exc)), message)


class JsonDepthError(ValueError):
    """A document nests deeper than the JSON depth limit shared with the sidecar."""


def json_depth(value, limit=None):
    """Nesting depth of a decoded JSON value (scalar 0, ``[]`` 1); iterative, so any depth is measured safely.

    With ``limit``, stops as soon as the depth passes it and returns ``limit + 1``.
    """
    deepest = 0
    stack = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, (list, tuple)):
            children = node
        else:
            continue
        depth += 1
        if depth > deepest:
            deepest = depth
            if limit is not None and depth > limit:
                return depth
        for child in children:
            if isinstance(child, (dict, list, tuple)):
                stack.append((child, depth))
    return deepest


def depth_exceeded(what, limit):
    return "%s nests deeper than the JSON depth limit of %d (%s)" % (what, limit, MAX_JSON_DEPTH_VARIABLE)


def _check_result_depth(payload, wrapper_levels, limit):
    # The sidecar reads the whole reply document with the same limit: the frame wrapping counts too.
    if json_depth(payload, limit) + wrapper_levels > limit:
        raise JsonDepthError(depth_exceeded("the handler's result", limit))


def allow_json_depth(limit):
    """Let the json module (recursive, bounded by the interpreter's recursion limit) reach ``limit`` levels."""
    needed = 2 * limit + 200
    if sys.getrecursionlimit() < needed:
        sys.setrecursionlimit(needed)


class EnvelopeError(ValueError):
    """The request body is not an envelope this runtime accepts (HTTP 400)."""


# --------------------------------------------------------------------------------------------------------------------
# Envelope parsing and route advance
# --------------------------------------------------------------------------------------------------------------------


def parse_envelope(body, validate=True, max_depth=DEFAULT_MAX_JSON_DEPTH):
    """Decode and (optionally) validate a request body. Raises EnvelopeError."""
    if not body:
        raise EnvelopeError("Missing request body")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EnvelopeError("Request body is not valid UTF-8: %s" % (exc,))
    try:
        env = _DECODER.decode(text)
    except RecursionError:
        raise EnvelopeError(depth_exceeded("Request body", max_depth))
    except ValueError as exc:
        raise EnvelopeError("Request body is not valid JSON: %s" % (exc,))
    if json_depth(env, max_depth) > max_depth:
        raise EnvelopeError(depth_exceeded("Request body", max_depth))
    if not isinstance(env, dict):
        raise EnvelopeError("Envelope must be a JSON object, got %s" % (_json_type(env),))
    if validate:
        if "payload" not in env:
            raise EnvelopeError("Envelope is missing required field 'payload'")
        route = env.get("route")
        if route is None:
            raise EnvelopeError("Envelope is missing required field 'route'")
        if not isinstance(route, dict):
            raise EnvelopeError("Field 'route' must be an object, got %s" % (_json_type(route),))
        for key, expected, name in (("prev", list, "array"), ("curr", str, "string"), ("next", list, "array")):
            if key not in route:
                raise EnvelopeError("Field 'route.%s' is missing" % (key,))
            if not isinstance(route[key], expected):
                raise EnvelopeError(
                    "Field 'route.%s' must be an %s, got %s" % (key, name, _json_type(route[key]))
                    if name == "array"
                    else "Field 'route.%s' must be a %s, got %s" % (key, name, _json_type(route[key]))
                )
        headers = env.get("headers")
        if headers is not None and not isinstance(headers, dict):
            raise EnvelopeError("Field 'headers' must be an object, got %s" % (_json_type(headers),))
        if "id" in env and not isinstance(env["id"], str):
            raise EnvelopeError("Field 'id' must be a string, got %s" % (_json_type(env["id"]),))
    return env


def _json_type(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _input_route(env):
    """prev + [curr] and the input next, tolerant of a missing/odd route when validation is off."""
    route = env.get("route")
    if not isinstance(route, dict):
        route = {}
    prev = route.get("prev")
    prev = list(prev) if isinstance(prev, list) else []
    curr = route.get("curr")
    if not isinstance(curr, str):
        curr = ""
    nxt = route.get("next")
    nxt = list(nxt) if isinstance(nxt, list) else []
    return prev, curr, nxt


def make_frame(payload, prev_after, nxt, headers, status):
    """Frame with the route advanced: curr' = next[0] or "", next' = next[1:]."""
    if nxt is None:
        nxt = []
    elif not isinstance(nxt, list):
        raise TypeError("route.next must be a list of actor names, got %s" % (_json_type(nxt),))
    for name in nxt:
        if not isinstance(name, str):
            raise TypeError("route.next must be a list of actor names, found %s" % (_json_type(name),))
    frame = {
        "payload": payload,
        "route": {"prev": prev_after, "curr": nxt[0] if nxt else "", "next": nxt[1:]},
    }
    if headers:
        if not isinstance(headers, dict):
            raise TypeError("headers must be an object, got %s" % (_json_type(headers),))
        frame["headers"] = headers
    if status:
        if not isinstance(status, dict):
            raise TypeError("status must be an object, got %s" % (_json_type(status),))
        frame["status"] = status
    return frame


# --------------------------------------------------------------------------------------------------------------------
# jq-like paths for the generator ABI
# --------------------------------------------------------------------------------------------------------------------

_SEGMENT_RE = re.compile(
    r"""\.(?P<key>[A-Za-z_][A-Za-z0-9_-]*)
      | \.?\[\s*(?P<quoted>"(?:[^"\\]|\\.)*")\s*\]
      | \.?\[\s*(?P<index>-?\d+)\s*\]
      | \.?\[\s*(?P<start>-?\d*)\s*:\s*(?P<stop>-?\d*)\s*\]""",
    re.VERBOSE,
)

_WRITABLE_ROOTS = ("`.route.next`", "`.headers`", "`.status`")


@functools.lru_cache(maxsize=512)
def parse_path(path):
    """Parse ``.a.b["k"][0][1:2]`` into a tuple of str keys, int indexes and slice objects."""
    if not isinstance(path, str):
        raise ValueError("ABI path must be a string, got %s" % (type(path).__name__,))
    if not path.startswith("."):
        raise ValueError("ABI path %r must start with '.'" % (path,))
    if path == ".":
        return ()
    segments = []
    pos = 0
    while pos < len(path):
        match = _SEGMENT_RE.match(path, pos)
        if match is None:
            raise ValueError("ABI path %r is invalid at position %d" % (path, pos))
        if match.group("key") is not None:
            segments.append(match.group("key"))
        elif match.group("quoted") is not None:
            segments.append(json.loads(match.group("quoted")))
        elif match.group("index") is not None:
            segments.append(int(match.group("index")))
        else:
            start, stop = match.group("start"), match.group("stop")
            segments.append(slice(int(start) if start else None, int(stop) if stop else None))
        pos = match.end()
    for seg in segments[:-1]:
        if isinstance(seg, slice):
            raise ValueError("ABI path %r: a slice may only be the last segment" % (path,))
    return tuple(segments)


def _check_no_slice(path, segments):
    if segments and isinstance(segments[-1], slice):
        raise ValueError("ABI path %r: slices are only allowed in SET" % (path,))


def _check_writable(verb, path, segments):
    if (len(segments) >= 2 and segments[0] == "route" and segments[1] == "next") or (
        segments and segments[0] in ("headers", "status")
    ):
        return
    raise PermissionError(
        "ABI %s %r is not allowed: handlers may only change %s" % (verb, path, ", ".join(_WRITABLE_ROOTS))
    )


def _step(current, seg, path):
    if current is None:
        return None
    if isinstance(seg, str):
        if isinstance(current, dict):
            return current.get(seg)
        raise TypeError("ABI path %r: cannot read key %r of %s" % (path, seg, _json_type(current)))
    if isinstance(current, list):
        if -len(current) <= seg < len(current):
            return current[seg]
        return None
    raise TypeError("ABI path %r: cannot read index %d of %s" % (path, seg, _json_type(current)))


def path_get(ctx, path):
    """Deep copy of the value at ``path`` (None when absent)."""
    segments = parse_path(path)
    _check_no_slice(path, segments)
    current = ctx
    for seg in segments:
        current = _step(current, seg, path)
    return copy.deepcopy(current)


def path_set(ctx, path, value):
    """Set ``path`` to a deep copy of ``value``; intermediate objects are created."""
    segments = parse_path(path)
    _check_writable("SET", path, segments)
    value = copy.deepcopy(value)
    current = ctx
    for i, seg in enumerate(segments[:-1]):
        following = segments[i + 1]
        if isinstance(seg, str):
            if not isinstance(current, dict):
                raise TypeError("ABI path %r: cannot set key %r inside %s" % (path, seg, _json_type(current)))
            child = current.get(seg)
            if child is None:
                if isinstance(following, str):
                    child = {}
                elif isinstance(following, slice):
                    child = []
                else:
                    raise IndexError("ABI path %r: cannot index missing %r with %d" % (path, seg, following))
                current[seg] = child
            current = child
        else:
            if not isinstance(current, list):
                raise TypeError("ABI path %r: cannot index %s with %d" % (path, _json_type(current), seg))
            if not -len(current) <= seg < len(current):
                raise IndexError("ABI path %r: index %d out of range (length %d)" % (path, seg, len(current)))
            child = current[seg]
            if child is None:
                child = {} if isinstance(following, str) else []
                current[seg] = child
            current = child
    last = segments[-1]
    if isinstance(last, str):
        if not isinstance(current, dict):
            raise TypeError("ABI path %r: cannot set key %r on %s" % (path, last, _json_type(current)))
        current[last] = value
    elif isinstance(last, slice):
        if not isinstance(current, list):
            raise TypeError("ABI path %r: cannot slice %s" % (path, _json_type(current)))
        if not isinstance(value, (list, tuple)):
            raise TypeError("ABI path %r: a slice can only be set to a list, got %s" % (path, _json_type(value)))
        current[last] = list(value)
    else:
        if not isinstance(current, list):
            raise TypeError("ABI path %r: cannot index %s with %d" % (path, _json_type(current), last))
        if not -len(current) <= last < len(current):
            raise IndexError("ABI path %r: index %d out of range (length %d)" % (path, last, len(current)))
        current[last] = value


def path_del(ctx, path):
    """Delete the value at ``path``; deleting something absent does nothing."""
    segments = parse_path(path)
    _check_no_slice(path, segments)
    _check_writable("DEL", path, segments)
    current = ctx
    for seg in segments[:-1]:
        current = _step(current, seg, path)
    last = segments[-1]
    if isinstance(current, dict) and isinstance(last, str):
        current.pop(last, None)
    elif isinstance(current, list) and isinstance(last, int):
        if -len(current) <= last < len(current):
            del current[last]
    elif current is not None:
        raise TypeError("ABI path %r: cannot delete from %s" % (path, _json_type(current)))


# --------------------------------------------------------------------------------------------------------------------
# Async support: one long-lived loop, so async handlers can keep loop-bound resources across calls
# --------------------------------------------------------------------------------------------------------------------


class _AsyncRunner:
    def __init__(self):
        self._lock = threading.Lock()
        self._loop = None

    def _ensure_loop(self):
        loop = self._loop
        if loop is not None:
            return loop
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                started = threading.Event()

                def run():
                    asyncio.set_event_loop(loop)
                    loop.call_soon(started.set)
                    loop.run_forever()

                threading.Thread(target=run, name="asya-asyncio", daemon=True).start()
                started.wait()
                self._loop = loop
            return self._loop

    def run(self, awaitable):
        loop = self._ensure_loop()
        if inspect.iscoroutine(awaitable):
            coro = awaitable
        else:
            coro = _await(awaitable)
        return asyncio.run_coroutine_threadsafe(coro, loop).result()


async def _await(awaitable):
    return await awaitable


# --------------------------------------------------------------------------------------------------------------------
# Invocation
# --------------------------------------------------------------------------------------------------------------------

_ABI_VERBS = frozenset(("GET", "SET", "DEL", "FLY"))


class Reply:
    """A complete (non-streaming) HTTP reply."""

    __slots__ = ("status", "body")

    def __init__(self, status, body):
        self.status = status
        self.body = body


class Stream:
    """A generator reply: ``events()`` yields encoded SSE events; ``close()`` stops the generator."""

    def __init__(self, runtime, gen, env, is_async):
        self._runtime = runtime
        self._gen = gen
        self._env = env
        self._async = is_async

    def _step(self, value):
        if self._async:
            return self._runtime.async_runner.run(self._gen.asend(value))
        return self._gen.send(value)

    def events(self):
        env = self._env
        prev, curr, nxt = _input_route(env)
        prev.append(curr)
        headers = env.get("headers")
        ctx = {
            "id": env.get("id"),
            "parent_id": env.get("parent_id"),
            "route": {"prev": list(prev[:-1]), "curr": curr, "next": nxt},
            "headers": headers if headers is not None else {},
            "status": env.get("status"),
        }
        stop = StopAsyncIteration if self._async else StopIteration
        send = None
        try:
            while True:
                try:
                    item = self._step(send)
                except stop:
                    break
                send = None
                if item is None:
                    continue
                if isinstance(item, tuple) and item and isinstance(item[0], str) and not _is_namedtuple(item):
                    verb = item[0]
                    if verb not in _ABI_VERBS:
                        raise RuntimeError(
                            "ABI protocol error: unknown verb %r (expected GET, SET, DEL or FLY)" % (verb,)
                        )
                    if verb == "GET":
                        _arity(item, 2)
                        send = path_get(ctx, item[1])
                    elif verb == "SET":
                        _arity(item, 3)
                        path_set(ctx, item[1], item[2])
                    elif verb == "DEL":
                        _arity(item, 2)
                        path_del(ctx, item[1])
                    else:
                        _arity(item, 2)
                        yield b"event: upstream\ndata: " + dumps({"payload": item[1]}) + b"\n\n"
                    continue
                route = ctx.get("route")
                # An SSE frame is {"payload": ...}: one level around the payload.
                _check_result_depth(item, 1, self._runtime.max_depth)
                frame = make_frame(
                    _payload_value(item),
                    prev,
                    route.get("next") if isinstance(route, dict) else None,
                    ctx.get("headers"),
                    ctx.get("status"),
                )
                yield b"event: downstream\ndata: " + dumps(frame) + b"\n\n"
        except Exception as exc:
            self._log_failure(exc)
            yield b"event: error\ndata: " + dumps({"error": PROCESSING_ERROR, "details": error_details(exc)}) + b"\n\n"
        finally:
            self.close()
        yield b"event: done\ndata: {}\n\n"

    def _log_failure(self, exc):
        LOG.error("handler failed (id=%s): %s", self._env.get("id"), _describe(exc))

    def close(self):
        gen, self._gen = self._gen, None
        if gen is None:
            return
        try:
            if self._async:
                self._runtime.async_runner.run(gen.aclose())
            else:
                gen.close()
        except Exception as exc:  # a generator misbehaving on close must not take the connection down
            LOG.warning("closing the handler generator failed: %s: %s", _type_name(type(exc)), exc)


def _arity(item, expected):
    if len(item) != expected:
        raise RuntimeError(
            "ABI protocol error: %s takes %d argument(s), got %d" % (item[0], expected - 1, len(item) - 1)
        )


class Runtime:
    """Turns request bodies into replies for one handler."""

    def __init__(self, handler, validate=True, max_depth=DEFAULT_MAX_JSON_DEPTH):
        self.handler = handler
        self.validate = validate
        self.max_depth = max_depth
        self.async_runner = _AsyncRunner()

    def invoke(self, body):
        """Return a Reply or a Stream for one ``POST /invoke`` body."""
        try:
            env = parse_envelope(body, self.validate, self.max_depth)
        except EnvelopeError as exc:
            return Reply(400, parsing_error_body(str(exc)))
        try:
            result = self.handler(env.get("payload"))
            if isinstance(result, types.GeneratorType):
                return Stream(self, result, env, False)
            if isinstance(result, types.AsyncGeneratorType):
                return Stream(self, result, env, True)
            if inspect.isawaitable(result):
                result = self.async_runner.run(result)
            if result is None:
                return Reply(204, b"")
            prev, curr, nxt = _input_route(env)
            prev.append(curr)
            # {"frames":[{"payload": ...}]}: three levels around the payload.
            _check_result_depth(result, 3, self.max_depth)
            frame = make_frame(_payload_value(result), prev, nxt, env.get("headers"), env.get("status"))
            return Reply(200, dumps({"frames": [frame]}))
        except Exception as exc:
            LOG.error("handler failed (id=%s): %s", env.get("id"), _describe(exc))
            return Reply(500, dumps({"error": PROCESSING_ERROR, "details": error_details(exc)}))


# --------------------------------------------------------------------------------------------------------------------
# HTTP/1.1 over a Unix socket
# --------------------------------------------------------------------------------------------------------------------

_REASONS = {
    200: "OK",
    204: "No Content",
    400: "Bad Request",
    404: "Not Found",
    411: "Length Required",
    413: "Payload Too Large",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    501: "Not Implemented",
    505: "HTTP Version Not Supported",
}
_HEALTH_BODY = b'{"status":"ready"}'
_NOT_FOUND_BODY = b'{"error":"not_found"}'
_SSE_HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n"
)


class _BadRequest(Exception):
    def __init__(self, status, message):
        Exception.__init__(self, message)
        self.status = status


def _send_reply(conn, status, body, keep_alive, content_type=b"application/json"):
    if status == 204:
        head = b"HTTP/1.1 204 No Content\r\n"
    else:
        head = b"HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n" % (
            status,
            _REASONS.get(status, "Unknown").encode("ascii"),
            content_type,
            len(body),
        )
    if not keep_alive:
        head += b"Connection: close\r\n"
    head += b"\r\n"
    if len(body) < 65536:
        conn.sendall(head + body)
    else:
        conn.sendall(head)
        conn.sendall(body)


def _read_headers(rfile):
    headers = {}
    for _ in range(_MAX_HEADERS + 1):
        line = rfile.readline(_MAX_LINE + 1)
        if len(line) > _MAX_LINE:
            raise _BadRequest(431, "header line too long")
        if line in (b"\r\n", b"\n"):
            return headers
        if not line:
            raise ConnectionResetError("client closed the connection inside the request headers")
        name, sep, value = line.partition(b":")
        if not sep:
            raise _BadRequest(400, "malformed header line")
        headers[name.strip().lower()] = value.strip()
    raise _BadRequest(431, "too many header lines")


def _read_chunked(rfile):
    parts = []
    while True:
        line = rfile.readline(_MAX_LINE + 1)
        if not line:
            raise ConnectionResetError("client closed the connection inside a chunked body")
        try:
            size = int(line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise _BadRequest(400, "malformed chunk size")
        if size == 0:
            while True:  # trailers
                trailer = rfile.readline(_MAX_LINE + 1)
                if trailer in (b"\r\n", b"\n", b""):
                    return b"".join(parts)
        data = rfile.read(size)
        if len(data) != size:
            raise ConnectionResetError("client closed the connection inside a chunk")
        parts.append(data)
        rfile.readline(_MAX_LINE + 1)


class Server:
    """Accepts connections on the Unix socket and serves each in its own thread."""

    def __init__(self, runtime, socket_dir, socket_name=DEFAULT_SOCKET_NAME, socket_chmod=0o660):
        self.runtime = runtime
        self.socket_dir = socket_dir
        self.socket_path = os.path.join(socket_dir, socket_name)
        self.ready_path = os.path.join(socket_dir, READY_FILE_NAME)
        self.socket_chmod = socket_chmod
        self._sock = None
        self._closing = False
        # Connection threads are reused: a runtime behind a sidecar that opens one connection per message
        # (upstream does) would otherwise pay a thread start per request. Idle workers wait on this queue;
        # _idle counts workers committed to taking from it, guarded by _idle_lock.
        self._handoff = queue.SimpleQueue()
        self._idle = 0
        self._idle_lock = threading.Lock()

    def bind(self):
        os.makedirs(self.socket_dir, exist_ok=True)
        _remove_file(self.ready_path)
        if os.path.isdir(self.socket_path):
            raise OSError("socket path %s is a directory" % (self.socket_path,))
        if os.path.lexists(self.socket_path):
            LOG.info("removing stale socket %s", self.socket_path)
            os.unlink(self.socket_path)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.bind(self.socket_path)
            if self.socket_chmod is not None:
                os.chmod(self.socket_path, self.socket_chmod)
            sock.listen(128)
        except Exception:
            sock.close()
            raise
        self._sock = sock

    def write_ready(self):
        tmp = "%s.%d.tmp" % (self.ready_path, os.getpid())
        with open(tmp, "w") as handle:
            handle.write("ready\n%d\n" % (os.getpid(),))
        os.replace(tmp, self.ready_path)

    def serve_forever(self):
        sock = self._sock
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                if self._closing:
                    return
                raise
            with self._idle_lock:
                if self._idle > 0:
                    self._idle -= 1
                    self._handoff.put(conn)
                    continue
            threading.Thread(target=self._worker, args=(conn,), name="asya-conn", daemon=True).start()

    def _worker(self, conn):
        while True:
            self._serve_connection(conn)
            with self._idle_lock:
                self._idle += 1
            try:
                conn = self._handoff.get(timeout=_IDLE_WORKER_SECONDS)
            except queue.Empty:
                with self._idle_lock:
                    try:
                        # accept() may have handed us a connection just as the wait timed out.
                        conn = self._handoff.get_nowait()
                    except queue.Empty:
                        self._idle -= 1
                        return

    def close(self):
        self._closing = True
        if self._sock is not None:
            try:
                self._sock.close()
            except OSError:
                pass
        _remove_file(self.socket_path)
        _remove_file(self.ready_path)

    def _serve_connection(self, conn):
        rfile = conn.makefile("rb", 65536)
        try:
            while self._serve_one(conn, rfile):
                pass
        except (ConnectionError, BrokenPipeError, socket.timeout):
            pass
        except Exception:
            LOG.exception("connection failed")
        finally:
            try:
                rfile.close()
            finally:
                try:
                    conn.close()
                except OSError:
                    pass

    def _serve_one(self, conn, rfile):
        """Serve one request; return True to keep the connection open."""
        line = rfile.readline(_MAX_LINE + 1)
        while line in (b"\r\n", b"\n"):  # tolerated between pipelined requests
            line = rfile.readline(_MAX_LINE + 1)
        if not line:
            return False
        try:
            parts = line.split()
            if len(parts) != 3 or len(line) > _MAX_LINE:
                raise _BadRequest(400, "malformed request line")
            method, target, version = parts
            if not version.startswith(b"HTTP/1."):
                raise _BadRequest(505, "unsupported HTTP version")
            headers = _read_headers(rfile)
            connection = headers.get(b"connection", b"").lower()
            if version == b"HTTP/1.0":
                keep_alive = b"keep-alive" in connection
            else:
                keep_alive = b"close" not in connection
            if headers.get(b"expect", b"").lower() == b"100-continue":
                conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            if b"chunked" in headers.get(b"transfer-encoding", b"").lower():
                body = _read_chunked(rfile)
            else:
                length = headers.get(b"content-length")
                if length is None:
                    body = b""
                else:
                    try:
                        size = int(length)
                    except ValueError:
                        raise _BadRequest(400, "invalid Content-Length")
                    if size < 0:
                        raise _BadRequest(400, "invalid Content-Length")
                    body = rfile.read(size) if size else b""
                    if len(body) != size:
                        return False
        except _BadRequest as exc:
            _send_reply(conn, exc.status, dumps({"error": "bad_request", "message": str(exc)}), False)
            return False

        path = target.split(b"?", 1)[0]
        if path == b"/invoke" and method == b"POST":
            reply = self.runtime.invoke(body)
            if type(reply) is Reply:
                _send_reply(conn, reply.status, reply.body, keep_alive)
                return keep_alive
            self._stream(conn, reply)
            return False
        if path == b"/healthz" and method == b"GET":
            _send_reply(conn, 200, _HEALTH_BODY, keep_alive)
            return keep_alive
        _send_reply(conn, 404, _NOT_FOUND_BODY, keep_alive)
        return keep_alive

    def _stream(self, conn, stream):
        try:
            conn.sendall(_SSE_HEAD)
            for event in stream.events():
                conn.sendall(event)
        except (BrokenPipeError, ConnectionError):
            LOG.warning("sidecar closed the connection during a streaming reply; stopping the handler")
        finally:
            stream.close()


def _remove_file(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except IsADirectoryError:
        pass


# --------------------------------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------------------------------


class _Shutdown(Exception):
    pass


def _parse_bool(name, raw):
    value = raw.strip().lower()
    if value in _TRUE_WORDS:
        return True
    if value in _FALSE_WORDS:
        return False
    raise ValueError("%s=%r is not a boolean (use true or false)" % (name, raw))


def _parse_max_depth(raw):
    raw = raw.strip()
    if not raw:
        return DEFAULT_MAX_JSON_DEPTH
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= _MAX_MAX_JSON_DEPTH:
        raise ValueError(
            "%s=%r must be a whole number between 1 and %d" % (MAX_JSON_DEPTH_VARIABLE, raw, _MAX_MAX_JSON_DEPTH)
        )
    return value


def _parse_chmod(raw):
    raw = raw.strip()
    if not raw:
        return None
    try:
        mode = int(raw, 8)
    except ValueError:
        raise ValueError("ASYA_SOCKET_CHMOD=%r is not an octal mode like 0o660" % (raw,))
    if not 0 <= mode <= 0o7777:
        raise ValueError("ASYA_SOCKET_CHMOD=%r is out of range" % (raw,))
    return mode


def _configure_logging(raw_level):
    level_name = (raw_level or "INFO").strip().upper()
    level = logging.getLevelName(level_name)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s asya-runtime: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    if isinstance(level, int):
        root.setLevel(level)
    else:
        root.setLevel(logging.INFO)
        LOG.warning("ASYA_LOG_LEVEL=%r is not a log level; using INFO", raw_level)


def _parse_parent_pid(raw):
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        pid = int(raw)
    except ValueError:
        raise ValueError("%s=%r is not a process id" % (PARENT_PID_VARIABLE, raw)) from None
    if pid <= 1:
        raise ValueError("%s=%r is not a process id above 1" % (PARENT_PID_VARIABLE, raw))
    return pid


def watch_parent(parent_pid, poll_seconds=PARENT_POLL_SECONDS):
    """Ends this runtime when the sidecar that started it is gone.

    A sidecar killed with SIGKILL cannot stop its runtime, and an orphaned runtime would keep the socket and hold
    GPU memory. PR_SET_PDEATHSIG is not used: it fires when the parent *thread* that forked us exits, and .NET
    starts processes from pool threads that come and go. Polling sees the sidecar's end (or our re-parenting) instead.
    """

    started_under = os.getppid()

    def alive(pid):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def run():
        # The runtime may sit behind a wrapper (a shell, a venv launcher): our own parent changing also means
        # the chain to the sidecar broke.
        while os.getppid() == started_under and alive(parent_pid):
            time.sleep(poll_seconds)
        LOG.warning("sidecar pid %d is gone; runtime pid %d exits", parent_pid, os.getpid())
        logging.shutdown()
        os.kill(os.getpid(), signal.SIGTERM)
        # A handler stuck in native code may keep the main thread from shutting down: leave anyway.
        time.sleep(5)
        os._exit(1)

    threading.Thread(target=run, name="asya-parent-watch", daemon=True).start()


def _fatal(message):
    LOG.critical("FATAL: %s", message)
    logging.shutdown()
    sys.exit(1)


def main(environ=None):
    environ = os.environ if environ is None else environ
    _configure_logging(environ.get("ASYA_LOG_LEVEL", "INFO"))
    try:
        validate = _parse_bool("ASYA_ENABLE_VALIDATION", environ.get("ASYA_ENABLE_VALIDATION", "true"))
        chmod = _parse_chmod(environ.get("ASYA_SOCKET_CHMOD", DEFAULT_SOCKET_CHMOD))
        max_depth = _parse_max_depth(environ.get(MAX_JSON_DEPTH_VARIABLE, ""))
        parent_pid = _parse_parent_pid(environ.get(PARENT_PID_VARIABLE, ""))
    except ValueError as exc:
        _fatal(str(exc))
    if parent_pid is not None:
        watch_parent(parent_pid)
    socket_dir = environ.get("ASYA_SOCKET_DIR") or DEFAULT_SOCKET_DIR
    socket_name = environ.get("ASYA_SOCKET_NAME") or DEFAULT_SOCKET_NAME
    spec = environ.get("ASYA_HANDLER", "").strip()

    # A ready file left by a crashed predecessor must not announce a runtime that is not there yet.
    _remove_file(os.path.join(socket_dir, READY_FILE_NAME))
    try:
        handler = load_handler(spec)
    except HandlerLoadError as exc:
        _fatal(str(exc))
    except Exception as exc:
        _fatal("ASYA_HANDLER=%r: %s: %s" % (spec, _type_name(type(exc)), exc))

    allow_json_depth(max_depth)
    server = Server(Runtime(handler, validate, max_depth), socket_dir, socket_name, chmod)

    def on_signal(signum, _frame):
        raise _Shutdown(signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        try:
            server.bind()
        except OSError as exc:
            _fatal("cannot listen on %s: %s" % (server.socket_path, exc))
        server.write_ready()
        LOG.info(
            "handler %s (%s) ready on %s (validation %s)",
            spec,
            handler_kind(handler),
            server.socket_path,
            "on" if validate else "off",
        )
        server.serve_forever()
    except _Shutdown as exc:
        LOG.info("received signal %d, shutting down", exc.args[0])
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        server.close()
    # Connection threads may still be inside a handler; exiting without waiting for them is deliberate
    # (the sidecar owns retries), and os._exit avoids interpreter-shutdown races with those threads.
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    os._exit(0)


if __name__ == "__main__":
    main()
