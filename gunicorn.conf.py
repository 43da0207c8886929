"""gunicorn settings for Saima, read from the environment like the Django settings.

Saima is a plain WSGI app served on 127.0.0.1 behind a TLS-terminating proxy; each worker
is a process with its own database connection, checked before reuse (CONN_HEALTH_CHECKS).
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Two workers per core plus one, gunicorn's rule of thumb for mostly waiting-on-DB work.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Restart each worker now and then, so no slow leak outlives a day of use.
max_requests = 2000
max_requests_jitter = 200
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
