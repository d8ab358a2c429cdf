"""gunicorn settings, read by gunicorn when it is started in this folder (``make bench``
and the commands in the README do so; elsewhere pass ``--config path/to/gunicorn.conf.py``).
Workers, address and the rest stay on the command line."""

import gc
from typing import Any


def post_worker_init(worker: Any) -> None:
    """Once a worker has loaded the app: move everything made so far (the app, its
    libraries, the holiday tables) out of the cyclic garbage collector's way. Without
    it every full collection walks those hundreds of thousands of objects, which showed
    as 30–40 ms pauses in the middle of requests that build many objects (the staffing
    warnings of a big plan)."""
    gc.collect()
    gc.freeze()
