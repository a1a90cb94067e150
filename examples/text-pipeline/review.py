"""End of the doubtful branch: marks the text for a human to look at."""


def handle(payload):
    return {**payload, "decision": "needs-review", "review_reason": "confidence below threshold"}
