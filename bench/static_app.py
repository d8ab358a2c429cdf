"""The ceiling for the feed: the same bytes served as a static file by the same server.

A WSGI app for gunicorn that serves the files of ``BENCH_STATIC_DIR`` with Werkzeug's
``SharedDataMiddleware`` (ETag and Last-Modified from the file, 304 on conditional
requests), and 404 for anything else. No framework, no database.

    BENCH_STATIC_DIR=/tmp/feed gunicorn -w 2 -b 127.0.0.1:8001 bench.static_app:app
"""

from __future__ import annotations

import os

from werkzeug.exceptions import NotFound
from werkzeug.middleware.shared_data import SharedDataMiddleware

app = SharedDataMiddleware(NotFound(), {"/": os.environ.get("BENCH_STATIC_DIR", ".")})
