"""Start the explorer's server: ``mlhood serve [--host] [--port] [--open]``."""

from __future__ import annotations

import threading
import webbrowser

from mlhood.explorer._app import create_app


def serve(host: str = "127.0.0.1", port: int = 8765, open_browser: bool = False) -> None:
    """Serve the explorer on ``host:port`` until Ctrl-C; print its URL first.

    Binds the loopback address unless told otherwise. With ``open_browser`` the default
    browser opens the index page once the server is up.
    """
    import uvicorn

    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    print(f"mlhood explorer: {url}  (Ctrl-C stops it)", flush=True)
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(create_app(), host=host, port=port, log_level="warning")


__all__ = ["create_app", "serve"]
