"""End of the confident branch: marks the text as accepted."""


def handle(payload):
    return {**payload, "decision": "accepted", "stored": True}
