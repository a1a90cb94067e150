"""Fan-out: one envelope in, one envelope per word out.

Each ``yield`` of a payload is a separate envelope sent on to the next actor: the first keeps the
input's id, the others get new ids with ``parent_id`` set to it. (Returning a list would be ONE
envelope whose payload is a list.)
"""


def handle(payload):
    words = str(payload.get("text", "")).split()
    for index, word in enumerate(words):
        yield {"word": word, "index": index, "of": len(words)}
