"""Handler fixtures for the runtime tests (one module, many kinds)."""

import asyncio
import collections
import dataclasses
import datetime
import decimal
import threading
import uuid


# ----- plain handlers -------------------------------------------------------------------------------------------


def echo(payload):
    return payload


def return_none(payload):
    return None


def return_list(payload):
    return [1, {"two": 2}, "three"]


def return_string(payload):
    return "hello"


def return_number(payload):
    return 42.5


def return_tuple(payload):
    return (1, "a")


def return_nan(payload):
    return {"x": float("nan")}


def unserializable(payload):
    return {"obj": object()}


def raise_value_error(payload):
    raise ValueError("Intentional test failure")


class BaseAppError(Exception):
    pass


class Outer:
    class InnerError(BaseAppError):
        pass


def raise_nested(payload):
    raise Outer.InnerError("nested boom")


def raise_memory_error(payload):
    raise MemoryError("simulated out of memory")


def raise_runtime_error(payload):
    raise RuntimeError("generic runtime failure")


_barrier = threading.Barrier(2)


def barrier(payload):
    # Succeeds only when two invocations run at the same time.
    _barrier.wait(timeout=10)
    return {"met": True}


not_callable = 42


# ----- serialization ----------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Point:
    x: int
    y: int


@dataclasses.dataclass
class Shape:
    name: str
    points: list


Pair = collections.namedtuple("Pair", ["left", "right"])


class PydanticV2Like:
    def __init__(self, value):
        self.value = value

    def model_dump(self, mode="python"):
        return {"value": self.value, "mode": mode}


class PydanticV1Like:
    __fields__ = {"value": None}

    def __init__(self, value):
        self.value = value

    def dict(self):
        return {"value": self.value, "v1": True}


FIXED_UUID = uuid.UUID("12345678-1234-5678-1234-567812345678")


def rich_types(payload):
    return {
        "dataclass": Shape("tri", [Point(0, 0), Point(1, 2)]),
        "datetime": datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
        "date": datetime.date(2026, 1, 2),
        "time": datetime.time(3, 4, 5),
        "uuid": FIXED_UUID,
        "decimal": decimal.Decimal("1.10"),
        "bytes": b"\x00\x01hi",
        "set": {3},
        "frozenset": frozenset(["a"]),
        "pydantic2": PydanticV2Like(7),
        "pydantic1": PydanticV1Like(8),
    }


def return_namedtuple(payload):
    return Pair("l", "r")


# ----- async -------------------------------------------------------------------------------------------------------


async def async_echo(payload):
    await asyncio.sleep(0)
    return {"async": True, "payload": payload}


async def async_none(payload):
    await asyncio.sleep(0)
    return None


async def async_raise(payload):
    await asyncio.sleep(0)
    raise ValueError("async failure")


_loops = []


async def async_loop_id(payload):
    # Lets a test check that async handlers share one long-lived event loop.
    loop = asyncio.get_running_loop()
    if loop not in _loops:
        _loops.append(loop)
    return {"loops": len(_loops)}


async def async_gen(payload):
    for i in range(2):
        await asyncio.sleep(0)
        yield {"i": i}
    seen = yield ("GET", ".id")
    yield ("SET", ".headers.async", True)
    yield {"id_seen": seen}


async def async_gen_error(payload):
    yield {"i": 0}
    await asyncio.sleep(0)
    raise KeyError("async gen failure")


# ----- generators -------------------------------------------------------------------------------------------------


def fan_out(payload):
    for i in range(3):
        yield {"index": i, "text": payload.get("text")}


def gen_error_mid(payload):
    yield {"n": 1}
    raise RuntimeError("mid-stream failure")


def gen_fly(payload):
    yield ("FLY", {"type": "progress", "pct": 50})
    yield payload


def gen_empty(payload):
    return
    yield  # pragma: no cover


def gen_bare_yield(payload):
    yield
    yield None
    yield payload


def gen_reroute(payload):
    yield ("SET", ".route.next", ["b", "c"])
    yield {"step": 1}
    yield ("SET", ".route.next[:0]", ["first"])
    yield ("SET", ".route.next[999:]", ["last"])
    yield {"step": 2}
    yield ("DEL", ".route.next")
    yield {"step": 3}


def gen_get(payload):
    ident = yield ("GET", ".id")
    parent = yield ("GET", ".parent_id")
    route = yield ("GET", ".route")
    route["next"].append("mutated-copy")
    route_again = yield ("GET", ".route.next")
    first_prev = yield ("GET", ".route.prev[0]")
    last_next = yield ("GET", ".route.next[-1]")
    missing = yield ("GET", ".headers.nope")
    quoted = yield ("GET", '.headers["x-key"]')
    yield {
        "id": ident,
        "parent_id": parent,
        "next_after_copy_mutation": route_again,
        "first_prev": first_prev,
        "last_next": last_next,
        "missing": missing,
        "quoted": quoted,
    }


def gen_headers(payload):
    yield ("SET", ".headers.trace", "t-2")
    yield ("SET", ".headers.nested.deep", 1)
    yield ("DEL", ".headers.drop")
    yield ("SET", ".status.note", "from-handler")
    yield payload


def gen_forbidden(payload):
    yield ("SET", ".route.prev", ["x"])


def gen_forbidden_del(payload):
    yield ("DEL", ".id")


def gen_unknown_verb(payload):
    yield ("PUT", ".headers.x", 1)


def gen_bad_next(payload):
    yield ("SET", ".route.next", "not-a-list")
    yield payload


def gen_unserializable(payload):
    yield {"ok": 1}
    yield {"bad": object()}
    yield {"never": 1}


def gen_namedtuple_payload(payload):
    yield Pair(1, 2)
    yield (1, 2)


# ----- classes ----------------------------------------------------------------------------------------------------


class Counter:
    def __init__(self, start=0, step=1):
        self.count = start
        self.step = step

    def process(self, payload):
        self.count += self.step
        return {"count": self.count}

    async def process_async(self, payload):
        self.count += self.step
        return {"count": self.count}

    def process_gen(self, payload):
        self.count += 1
        yield {"count": self.count}
        yield {"count": self.count, "again": True}

    value = 5


class NeedsArg:
    def __init__(self, model):
        self.model = model

    def process(self, payload):
        return payload


class InitRaises:
    def __init__(self):
        raise RuntimeError("init failed on purpose")

    def process(self, payload):
        return payload


class WithKwargs:
    def __init__(self, *args, **kwargs):
        self.kwargs = kwargs

    def process(self, payload):
        return {"kwargs": self.kwargs}


def wrap(payload):
    return {"got": payload}


closed_flags = []


def gen_endless(payload):
    try:
        i = 0
        while True:
            yield {"i": i}
            i += 1
    finally:
        closed_flags.append(True)


def nest(payload):
    """Returns a list nested payload["depth"] levels deep."""
    value = "leaf"
    for _ in range(payload["depth"]):
        value = [value]
    return value


def gen_nest(payload):
    yield nest(payload)
