"""WSGI application for benchmarks/quiz_autosave.py: the platform itself plus one bare upsert view.

The bare view is the floor the attempt API is compared with: the same server, middleware and database,
but no sign-in, no access check and no ordering rules, only one ``INSERT ... ON CONFLICT DO UPDATE``.
Never part of the product: gunicorn loads it only when the benchmark starts it.
"""

import json
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (after setup, as the URLconf below needs the apps)
from django.db import connection  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

UPSERT = """
INSERT INTO courses_attemptanswer (attempt_id, slot_id, response, seq, saved_at, needs_grading, feedback)
VALUES (%s, %s, %s, %s, now(), false, '')
ON CONFLICT (attempt_id, slot_id) DO UPDATE
SET response = EXCLUDED.response, seq = EXCLUDED.seq, saved_at = EXCLUDED.saved_at
WHERE courses_attemptanswer.seq < EXCLUDED.seq
"""


@csrf_exempt
def bare_upsert(request, attempt_id: int, slot_id: int):
    body = json.loads(request.body)
    with connection.cursor() as cursor:
        cursor.execute(UPSERT, [attempt_id, slot_id, json.dumps(body["response"]), int(body["seq"])])
        saved = cursor.rowcount == 1
    return JsonResponse({"status": "saved" if saved else "stale", "seq": body["seq"]})


urlpatterns = [
    path("bench/upsert/<int:attempt_id>/<int:slot_id>/", bare_upsert),
    path("", include("lms.urls")),
]
settings.ROOT_URLCONF = __name__
