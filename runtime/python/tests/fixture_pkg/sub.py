"""Handlers inside a sub-module of a package."""


def func(payload):
    return {"from": "fixture_pkg.sub", "payload": payload}


class Worker:
    def process(self, payload):
        return {"worker": True, "payload": payload}
