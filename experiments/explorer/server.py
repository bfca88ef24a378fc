"""Start the explorer's Solara server: on 127.0.0.1 only, offline, telemetry off.

The front end (Vue 2, Vuetify, fonts, icons) is served from the installed packages
(``solara-assets``, ``ipyvue``, ``ipyvuetify``; versions pinned in ``pyproject.toml``) through
Solara's asset proxy, whose CDN is pointed at a closed local port, so nothing is fetched at run
time; telemetry is off. The page uses no Markdown component (its math renderer, KaTeX, is not in
``solara-assets``). Solara reads its
settings from the environment when it is first imported, so :func:`environment` must run before.
"""

from __future__ import annotations

import os
import socket

HOST = "127.0.0.1"
APP = "experiments.explorer.app:Page"
#: the language the page opens in (``python -m experiments.dashboard language=nl`` sets it)
LANGUAGE_ENV = "INTEGRATION_SIM_LANGUAGE"


def environment(language: str) -> dict[str, str]:
    """The settings the server runs with (set in ``os.environ`` before Solara is imported)."""
    env = {
        "SOLARA_APP": APP,
        "SOLARA_MODE": "production",
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
        # the front end's files are served by Solara's asset proxy from the installed packages
        # (solara-assets); a file they lack would be fetched from the CDN, so the CDN is pointed at
        # a closed local port: such a file fails at once, and nothing leaves this machine
        "SOLARA_ASSETS_PROXY": "true",
        "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/npm/",
        LANGUAGE_ENV: language,
        "MPLBACKEND": "Agg",
    }
    os.environ.update(env)
    return env


def port_free(port: int) -> bool:
    """True if ``HOST:port`` can be bound now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


def serve(port: int, language: str, on_ready=None) -> None:
    """Run the server on ``HOST:port`` until interrupted; ``on_ready(url)`` once it listens."""
    environment(language)
    import warnings

    import uvicorn

    # plain http on 127.0.0.1: Solara warns that its session cookie cannot be samesite=none
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")

    from experiments.explorer import runner

    # start the worker processes and the baseline ensemble now, while the server starts and the
    # browser loads the page: a first setting then needs only its own runs
    runner.pool(runner.Options().n_jobs)
    runner.start_baseline(runner.Options())
    config = uvicorn.Config("solara.server.starlette:app", host=HOST, port=port, log_level="warning",
                            lifespan="on")
    server = uvicorn.Server(config)
    if on_ready is not None:
        import threading
        import time

        def watch():
            while not server.started and not server.should_exit:
                time.sleep(0.1)
            if server.started:
                on_ready(f"http://{HOST}:{port}/")

        threading.Thread(target=watch, daemon=True).start()
    # uvicorn stops on SIGTERM and then raises the signal again with the handler it found: by
    # default that ends the process at once, before the worker processes are stopped, and they
    # would outlive the server; this handler ends it through the `finally` below instead
    import signal
    import threading

    main = threading.current_thread() is threading.main_thread()
    before = signal.signal(signal.SIGTERM, _stop) if main else None
    try:
        server.run()
    finally:
        runner.shutdown()
        if main:
            signal.signal(signal.SIGTERM, before)


def _stop(signum, frame):
    raise SystemExit(128 + signum)
