"""The OpenAPI 3.1 description of the attempt API, served at /courses/api/openapi.json (a static dict)."""

from __future__ import annotations

ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {
            "type": "string",
            "description": "Stable code: not_signed_in, not_found, bad_request, closed, password, "
            "no_attempts_left, no_questions, bad_seq, bad_slot, too_long, finished, time_up, review_not_allowed.",
        },
        "message": {"type": "string", "description": "For people, in the user's language (Vietnamese)."},
    },
}
RESPONSE = {
    "description": "In shown positions: single_choice an integer; multiple_choice and ordering a list of "
    "integers; true_false a boolean; true_false_group a list of booleans or nulls (one per statement); "
    "matching an object {pair index: answer text}; cloze an object {part number: part response}; "
    "short answers, numbers and essays a string.",
}
QUESTION = {
    "type": "object",
    "properties": {
        "slot": {"type": "integer"},
        "number": {"type": "integer"},
        "points": {"type": "string", "examples": ["1.00"]},
        "type": {"type": "string", "examples": ["single_choice", "true_false_group", "short_numeric_2025"]},
        "stem_html": {"type": "string", "description": "Cleaned HTML; math as typed for KaTeX."},
        "input": {"type": "string"},
        "choices": {"type": "array", "items": {"type": "object"}},
        "statements": {"type": "array", "items": {"type": "object"}},
        "items": {"type": "array", "items": {"type": "object"}},
        "pairs": {"type": "array", "items": {"type": "object"}},
        "pieces": {"type": "array", "items": {"type": "object"}},
        "response": RESPONSE,
        "seq": {"type": "integer"},
        "saved_at": {"type": ["string", "null"], "format": "date-time"},
    },
}
ATTEMPT = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "quiz": {"type": "integer"},
        "title": {"type": "string"},
        "number": {"type": "integer"},
        "state": {"type": "string", "enum": ["in_progress", "submitted", "closed"]},
        "started_at": {"type": "string", "format": "date-time"},
        "deadline": {"type": ["string", "null"], "format": "date-time"},
        "grace_seconds": {"type": "integer"},
        "server_time": {"type": "string", "format": "date-time"},
        "finished_at": {"type": ["string", "null"], "format": "date-time"},
        "save_token": {
            "type": "string",
            "description": "Only for the attempt's own student while it is in progress: send it as the "
            "X-Attempt-Token header of answer saves (no session lookup; valid for 12 hours and for this attempt).",
        },
        "questions_per_page": {
            "type": "integer",
            "minimum": 0,
            "description": "How many questions to show at a time (0: all on one page), as the teacher set it.",
        },
        "questions": {
            "type": "array",
            "items": QUESTION,
            "description": "Empty once the attempt is finished. Never carries keys, fractions or feedback.",
        },
    },
}
REVIEW = {
    "type": "object",
    "description": "Limited by the quiz's review options: score adds score fields; responses adds "
    "questions with the student's responses and right/wrong/partial; answers adds key and feedback.",
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "state": {"type": "string"},
        "review": {"type": "string", "enum": ["score", "responses", "answers"]},
        "score": {"type": "string"},
        "max_score": {"type": "string"},
        "needs_grading": {"type": "boolean"},
        "quiz_grade": {"type": ["string", "null"]},
        "max_grade": {"type": "string"},
        "questions": {"type": "array", "items": {"type": "object"}},
    },
}


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict:
    texts = {
        400: "Bad input",
        401: "Not signed in",
        403: "Refused",
        404: "Not found (or not yours)",
        409: "Not possible in the attempt's or quiz's state",
    }
    return {str(c): {"description": texts[c], **_json(ERROR)} for c in codes}


UID = {"name": "uid", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}


def schema(server: str = "/") -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Quiz attempt API",
            "version": "1",
            "description": "Start, answer (autosave), submit and review quiz attempts. Session cookie "
            "authentication; writes need the CSRF token (X-CSRFToken header). Another student's attempt, "
            "a course one does not belong to, or a missing object all answer 404. The timer is the "
            "server's: saves after deadline + grace_seconds are refused (409 time_up) and the attempt is "
            "closed with what was saved.",
        },
        "servers": [{"url": server.rstrip("/")}],
        "paths": {
            "/courses/api/quizzes/{item_id}/attempts/": {
                "parameters": [{"name": "item_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "get": {
                    "summary": "The quiz's settings for me, my attempts and my grade",
                    "responses": {"200": {"description": "OK", **_json({"type": "object"})}, **_errors(401, 404)},
                },
                "post": {
                    "summary": "Start an attempt (or get the one in progress)",
                    "requestBody": _json({"type": "object", "properties": {"password": {"type": "string"}}}),
                    "responses": {
                        "201": {"description": "The attempt", **_json(ATTEMPT)},
                        **_errors(401, 403, 404, 409),
                    },
                },
            },
            "/courses/api/attempts/{uid}/": {
                "parameters": [UID],
                "get": {
                    "summary": "The attempt with its questions (no keys) and saved responses",
                    "responses": {"200": {"description": "OK", **_json(ATTEMPT)}, **_errors(401, 404)},
                },
            },
            "/courses/api/attempts/{uid}/answers/{slot}/": {
                "parameters": [
                    UID,
                    {"name": "slot", "in": "path", "required": True, "schema": {"type": "integer"}},
                    {
                        "name": "X-Attempt-Token",
                        "in": "header",
                        "required": False,
                        "description": "The attempt's save_token; without a valid one the session is used.",
                        "schema": {"type": "string"},
                    },
                ],
                "put": {
                    "summary": "Save one answer (idempotent, ordered by seq)",
                    "description": "The client numbers its saves (increasing per attempt, e.g. a counter). "
                    "A save whose seq is not newer than the stored one changes nothing: status duplicate "
                    "(same seq) or stale (a newer one is stored). POST is accepted too (sendBeacon).",
                    "requestBody": _json(
                        {
                            "type": "object",
                            "required": ["response", "seq"],
                            "properties": {"response": RESPONSE, "seq": {"type": "integer", "minimum": 1}},
                        }
                    ),
                    "responses": {
                        "200": {
                            "description": "Stored or already stored",
                            **_json(
                                {
                                    "type": "object",
                                    "properties": {
                                        "status": {"type": "string", "enum": ["saved", "duplicate", "stale"]},
                                        "slot": {"type": "integer"},
                                        "seq": {"type": "integer"},
                                        "saved_at": {"type": "string", "format": "date-time"},
                                    },
                                }
                            ),
                        },
                        **_errors(400, 401, 404, 409),
                    },
                },
            },
            "/courses/api/attempts/{uid}/submit/": {
                "parameters": [UID],
                "post": {
                    "summary": "Submit and grade (harmless if already finished)",
                    "responses": {"200": {"description": "Finished", **_json({"type": "object"})}, **_errors(401, 404)},
                },
            },
            "/courses/api/attempts/{uid}/review/": {
                "parameters": [UID],
                "get": {
                    "summary": "What the review options allow now",
                    "responses": {"200": {"description": "OK", **_json(REVIEW)}, **_errors(401, 403, 404)},
                },
            },
        },
        "components": {"schemas": {"Error": ERROR, "Attempt": ATTEMPT, "Question": QUESTION, "Review": REVIEW}},
    }
