"""Runs after the human review: publishes the approved draft, or records the rejection."""


def handle(payload):
    review = payload.get("review") or {}
    decision = "published" if review.get("approved") is True else "rejected"
    return {**payload, "decision": decision}
