"""Checks the input and normalises its text (collapses whitespace)."""


def handle(payload):
    if not isinstance(payload, dict) or not isinstance(payload.get("text"), str):
        raise ValueError("payload must be an object with a string field 'text'")
    text = " ".join(payload["text"].split())
    if not text:
        raise ValueError("field 'text' is empty")
    return {**payload, "text": text, "words": len(text.split())}
