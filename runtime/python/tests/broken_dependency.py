"""Imports a module that does not exist, so loading any handler here must fail with that name."""

import asya_missing_dependency_xyz  # noqa: F401


def handler(payload):
    return payload
