"""Drafts a reply and says what the human reviewer is asked.

The pause metadata travels in header ``x-asya-pause-metadata``: x-pause stores it with the checkpoint and reports it to
the gateway, where the task shows it while ``paused``. Each field's ``payload_key`` says where x-resume writes the
reviewer's answer in the payload.
"""

REVIEW = {
    "prompt": "Approve this reply to the customer?",
    "fields": [
        {"name": "approved", "type": "boolean", "payload_key": "/review/approved", "required": True},
        {"name": "reviewer", "type": "string", "payload_key": "/review/reviewer"},
        {"name": "notes", "type": "string", "payload_key": "/review/notes"},
    ],
}


def handle(payload):
    customer = str(payload.get("customer", "customer"))
    question = str(payload.get("question", "")).strip()
    draft = "Dear %s, thank you for asking %r. We will get back to you within two days." % (customer, question)
    yield "SET", '.headers["x-asya-pause-metadata"]', REVIEW
    yield {**payload, "draft": draft}
