"""Receives each word of the fan-out separately."""


def handle(payload):
    return {**payload, "shout": payload["word"].upper() + "!"}
