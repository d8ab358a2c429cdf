"""The app as the benchmark serves it under gunicorn: ``planner.create_app()`` unchanged,
except that its instance folder (where the export page keeps generated files) is moved
to ``BENCH_INSTANCE_PATH``, so a benchmark run leaves nothing in the project's folder.

    gunicorn -w 2 -b 127.0.0.1:8000 bench.wsgi:app
"""

from __future__ import annotations

import os

from planner import create_app

app = create_app()
if os.environ.get("BENCH_INSTANCE_PATH"):
    app.instance_path = os.environ["BENCH_INSTANCE_PATH"]
