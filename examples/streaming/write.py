"""Writes an answer the way a language model streams one: token by token.

Each ``yield "FLY", {...}`` goes upstream at once (runtime -> sidecar -> gateway -> every client following the task)
and is never stored; ``{"partial": True, "text": token}`` is upstream Asya's convention for streamed text, which
``asya call`` and ``asya run`` print inline as it comes. The final payload (the last ``yield`` of a payload) goes on
along the route like any other.
"""

import time


def answer_for(prompt):
    return (
        "You asked: " + prompt.strip().rstrip("?") + "? "
        "Here is the answer, written one word at a time, the way a language model streams its tokens."
    )


def handle(payload):
    prompt = str(payload.get("prompt", "anything"))
    delay = float(payload.get("delay_ms", 80)) / 1000.0
    words = answer_for(prompt).split(" ")
    for index, word in enumerate(words):
        yield "FLY", {"partial": True, "text": word if index == 0 else " " + word}
        time.sleep(delay)  # a model takes a while per token; the client sees each word as it comes
    yield {**payload, "answer": " ".join(words), "tokens": len(words)}
