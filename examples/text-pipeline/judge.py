"""Scores how sure the text sounds and picks the next actor by that score.

A generator handler: it first rewrites the rest of the route with the ABI command
``yield "SET", ".route.next", [...]``, then yields the payload that goes on.
The score is a plain heuristic (hedging words, questions, very short texts), no model needed.
"""

import os
import re

HEDGES = {
    "maybe", "perhaps", "possibly", "probably", "might", "unsure", "unclear",
    "guess", "think", "seems", "apparently", "allegedly", "somewhat", "unknown",
}


def confidence(text):
    words = re.findall(r"[a-z']+", text.lower())
    score = 1.0
    score -= 0.25 * sum(1 for w in words if w in HEDGES)
    score -= 0.2 * text.count("?")
    if len(words) < 3:
        score -= 0.3
    return round(min(max(score, 0.0), 1.0), 2)


def handle(payload):
    threshold = float(os.environ.get("JUDGE_THRESHOLD", "0.6"))
    score = confidence(payload["text"])
    confident = score >= threshold
    yield "SET", ".route.next", ["store"] if confident else ["review"]
    yield {**payload, "confidence": score, "confident": confident}
