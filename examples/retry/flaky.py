"""A handler whose backend fails the first time it sees each envelope.

It reads the attempt number of the current envelope with the ABI command
``yield "GET", ".status.attempt"``: attempt 1 raises ConnectionError, attempt 2 succeeds. The
resiliency policy in flaky.yaml retries ConnectionError up to 3 attempts, 200 ms apart.
Send ``{"fail_always": true}`` to watch the policy run out.
"""


def handle(payload):
    attempt = yield "GET", ".status.attempt"
    if payload.get("fail_always") or not attempt or attempt < 2:
        raise ConnectionError("flaky backend refused the call (attempt %s)" % attempt)
    yield {**payload, "succeeded_on_attempt": attempt}
