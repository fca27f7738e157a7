"""WSGI entry point: Django for HTTP alone, for a WSGI server in front of pages and the API.

The ASGI application (config.asgi) serves the same pages and the websockets of live pages; a
deployment may send `/ws/` to it and everything else here (docs/operations.md, decision 0355).
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from tillit.core.workdays import warm_up  # noqa: E402

warm_up()

# As in config.asgi: what start-up made lives as long as the worker, so keep it out of the
# cyclic collector's walks (decision 0470).
gc.freeze()
gc.set_threshold(10_000, 10, 10)  # as in config.asgi (decision 0473)
