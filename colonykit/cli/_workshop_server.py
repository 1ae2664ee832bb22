"""The Voilà server behind ``colonykit workshop``, configured for a room full of other people.

Run as ``python -m colonykit.cli._workshop_server NOTEBOOK --port N [--open-browser]
[--max-kernels K] [--cull-idle-s S]`` by :func:`colonykit.cli._workshop.run` (never by hand):

* **a token**: the random token comes in ``COLONYKIT_WORKSHOP_TOKEN`` (never on the command
  line, where ``ps`` shows it to every local user) and is removed from the environment before
  any kernel starts; a request without it gets the login page, an API call 403;
* **Host and Origin checked**: only a loopback address or ``localhost`` as ``Host`` (a DNS
  rebinding page has its own name there), and a cross-origin websocket or API call is refused;
* **one port**: no retry on the next port (the URL printed is the one served);
* **kernels end**: a kernel whose page closed or reloaded (its last websocket gone) is shut down
  after :data:`CLOSE_GRACE_S`; idle kernels without a page are culled after ``--cull-idle-s``;
  at most ``--max-kernels`` run at once (a page beyond that gets HTTP 503);
* **a pre-started kernel**: Voilà's preheat pool of one, so the first page shows at once;
* **no unused front-end**: the page does not load ``jupyterlab-plotly`` (4.8 MB of JavaScript
  the dashboard's own charts do not use; :data:`EXTENSIONS_NOT_LOADED`);
* **plotly.js over HTTP**: ``/colonykit/plotly.min.js`` (gzip, cached by the browser) for the
  charts (:mod:`colonykit.widgets.chart`), which fetch it while the widgets load instead of
  asking the kernel for it over the websocket (:data:`PLOTLY_URL_ENV` tells the kernels); the
  page's response preloads it (:func:`preload_link`), so the fetch overlaps the widgets' start.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from typing import Any

#: Seconds between a page's last websocket closing and its kernel's shutdown (a page that
#: reconnects within it keeps its kernel).
CLOSE_GRACE_S = 5.0
#: Default kernel limit: the preheated one plus a few pages.
MAX_KERNELS = 4
#: Default idle time [s] after which a kernel with no page is culled.
CULL_IDLE_S = 120
#: Environment variable that carries the token from ``colonykit workshop``.
TOKEN_ENV = "COLONYKIT_WORKSHOP_TOKEN"
#: Path (below the server's base URL) of plotly.js for the charts.
PLOTLY_PATH = "colonykit/plotly.min.js"
#: Environment variable that gives the kernels' charts the URL of plotly.js.
PLOTLY_URL_ENV = "COLONYKIT_PLOTLY_URL"  # = colonykit.widgets.chart.PLOTLY_URL_ENV
#: JupyterLab extensions the page does not load: ``jupyterlab-plotly`` (plotly's
#: ``FigureWidget`` and figure renderer, a 4.8 MB bundle parsed before the first chart) is not
#: used by the dashboard, whose charts are :mod:`colonykit.widgets.chart` widgets.
EXTENSIONS_NOT_LOADED = ("jupyterlab-plotly",)


def _plotly_handler() -> type:
    """The handler of :data:`PLOTLY_PATH`: plotly.js as shipped by ``plotly``, gzip-compressed."""
    from tornado import web

    from colonykit.widgets.chart import plotly_js_gz

    class PlotlyJs(web.RequestHandler):
        """plotly.js, public (no token): the charts fetch it once; the browser keeps it."""

        def get(self) -> None:
            body = plotly_js_gz()
            self.set_header("Content-Type", "text/javascript; charset=utf-8")
            self.set_header("Cache-Control", "public, max-age=86400")
            if "gzip" in self.request.headers.get("Accept-Encoding", ""):
                self.set_header("Content-Encoding", "gzip")
                self.finish(body)
            else:
                import gzip

                self.finish(gzip.decompress(body))

    return PlotlyJs


def preload_link(url: str) -> str:
    """The ``Link`` header that has the browser fetch ``url`` (plotly.js) with the page.

    The charts ask for plotly.js only once their widgets render, seconds after the page
    arrived; with this header the browser fetches it meanwhile (as the charts' ``fetch`` does:
    same origin, credentials of the same origin), so that it is there when they ask.

    Parameters
    ----------
    url : str
        The URL the charts fetch.

    Examples
    --------
    >>> preload_link("/colonykit/plotly.min.js")
    '</colonykit/plotly.min.js>; rel=preload; as=fetch; crossorigin'
    """
    return f"<{url}>; rel=preload; as=fetch; crossorigin"


def _preloading(handler: type, url: str) -> type:
    """``handler`` (Voilà's page) sending :func:`preload_link` for ``url`` with the page."""

    class Preloading(handler):
        def set_default_headers(self) -> None:
            super().set_default_headers()
            self.set_header("Link", preload_link(url))

    return Preloading


def _voila_class() -> type:
    """Voilà with the :data:`PLOTLY_PATH` handler first; the page preloads plotly.js."""
    from jupyter_server.utils import url_path_join
    from voila.app import Voila
    from voila.handler import VoilaHandler

    class WorkshopVoila(Voila):
        def init_handlers(self) -> list[Any]:
            url = url_path_join(self.server_url, PLOTLY_PATH)
            own = [(url, _plotly_handler())]
            rest = [
                (h[0], _preloading(h[1], url), *h[2:])
                if isinstance(h, tuple)
                and isinstance(h[1], type)
                and issubclass(h[1], VoilaHandler)
                else h
                for h in super().init_handlers()
            ]
            return own + rest

    return WorkshopVoila


def _kernel_classes(max_kernels: int) -> tuple[type, type]:
    """The kernel manager (limit) and websocket connection (shutdown on close) classes."""
    from jupyter_server.services.kernels.connection.channels import (
        ZMQChannelsWebsocketConnection,
    )
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from tornado import web

    class LimitedKernelManager(AsyncMappingKernelManager):
        """At most ``max_kernels`` kernels; the next start is refused with HTTP 503."""

        async def start_kernel(self, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]
            if kwargs.get("kernel_id") is None and len(self.list_kernel_ids()) >= max_kernels:
                msg = f"the workshop runs at most {max_kernels} kernels; close a page first"
                raise web.HTTPError(503, msg)
            return str(await super().start_kernel(*args, **kwargs))

    class ClosingConnection(ZMQChannelsWebsocketConnection):
        """Shut the kernel down when its page's last websocket closed (after a grace time)."""

        def disconnect(self) -> None:  # type: ignore[override]
            kernel_id = self.kernel_id
            mkm = self.multi_kernel_manager
            super().disconnect()

            async def later() -> None:
                await asyncio.sleep(CLOSE_GRACE_S)
                if kernel_id in mkm and mkm._kernel_connections.get(kernel_id, 0) == 0:
                    mkm.log.info(
                        "colonykit workshop: page closed, shutting kernel %s down", kernel_id
                    )
                    await mkm.shutdown_kernel(kernel_id)

            asyncio.ensure_future(later())

    return LimitedKernelManager, ClosingConnection


def voila_config(
    port: int, *, token: str, open_browser: bool, max_kernels: int, cull_idle_s: int
) -> Any:
    """The traitlets config of the workshop's Voilà (see the module docstring).

    Parameters
    ----------
    port : int
        TCP port on 127.0.0.1.
    token : str
        The token every request must carry (``?token=`` once; then a cookie).
    open_browser : bool
        Open the user's browser on the URL.
    max_kernels : int
        Kernels running at once, at most.
    cull_idle_s : int
        Idle seconds after which a kernel without a page is shut down.
    """
    from traitlets.config import Config

    kernel_manager, connection = _kernel_classes(max_kernels)
    c = Config()
    c.Voila.ip = "127.0.0.1"
    c.Voila.port = port
    c.Voila.port_retries = 0
    c.Voila.open_browser = open_browser
    c.Voila.token = token
    c.Voila.tornado_settings = {
        "allow_remote_access": False,  # Host must be loopback or localhost
        "local_hostnames": ["localhost"],
        "allow_origin": "",  # cross-origin API and websocket calls refused
    }
    c.Voila.kernel_websocket_connection_class = connection
    c.VoilaConfiguration.multi_kernel_manager_class = kernel_manager
    c.VoilaConfiguration.extension_denylist = list(EXTENSIONS_NOT_LOADED)
    c.VoilaConfiguration.preheat_kernel = True
    c.VoilaConfiguration.default_pool_size = 1
    c.VoilaConfiguration.strip_sources = True
    c.VoilaConfiguration.theme = "light"
    c.VoilaConfiguration.show_tracebacks = False
    c.MappingKernelManager.cull_idle_timeout = cull_idle_s
    c.MappingKernelManager.cull_interval = max(10, min(60, cull_idle_s // 4))
    c.MappingKernelManager.cull_connected = False
    return c


def main(argv: list[str] | None = None) -> int:
    """Start Voilà on the notebook until it is stopped."""
    p = argparse.ArgumentParser(prog="python -m colonykit.cli._workshop_server")
    p.add_argument("notebook")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--open-browser", action="store_true")
    p.add_argument("--max-kernels", type=int, default=MAX_KERNELS)
    p.add_argument("--cull-idle-s", type=int, default=CULL_IDLE_S)
    args = p.parse_args(argv)
    token = os.environ.pop(TOKEN_ENV, "")
    if len(token) < 16:
        sys.stderr.write(f"error: {TOKEN_ENV} must hold the workshop's token\n")
        return 2
    # the kernels (which inherit the environment) tell their charts where plotly.js is
    os.environ[PLOTLY_URL_ENV] = "/" + PLOTLY_PATH
    app = _voila_class()(
        config=voila_config(
            args.port,
            token=token,
            open_browser=args.open_browser,
            max_kernels=args.max_kernels,
            cull_idle_s=args.cull_idle_s,
        )
    )
    app.initialize([args.notebook])
    app.start()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
