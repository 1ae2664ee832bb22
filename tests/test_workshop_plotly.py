"""plotly.js over HTTP for the workshop's charts (colonykit.cli._workshop_server, widgets.chart)."""

from __future__ import annotations

import gzip

import pytest

pytest.importorskip("voila")
pytest.importorskip("anywidget")

from tornado import testing, web

from colonykit.cli import _workshop_server as server
from colonykit.widgets import chart


class TestPlotlyHandler(testing.AsyncHTTPTestCase):
    def get_app(self) -> web.Application:
        return web.Application([("/" + server.PLOTLY_PATH, server._plotly_handler())])

    def test_gzip_body_is_the_plotly_package_copy(self) -> None:
        r = self.fetch(
            "/" + server.PLOTLY_PATH, headers={"Accept-Encoding": "gzip"}, decompress_response=False
        )
        assert r.code == 200
        assert r.headers["Content-Encoding"] == "gzip"
        assert "max-age" in r.headers["Cache-Control"]
        assert r.body == chart.plotly_js_gz()
        assert b"Plotly" in gzip.decompress(r.body)[:5000] or b"plotly" in gzip.decompress(r.body)

    def test_plain_body_without_gzip(self) -> None:
        r = self.fetch("/" + server.PLOTLY_PATH, headers={"Accept-Encoding": "identity"})
        assert r.code == 200
        assert "Content-Encoding" not in r.headers
        assert r.body == gzip.decompress(chart.plotly_js_gz())


def test_charts_get_the_url_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    import plotly.graph_objects as go

    monkeypatch.delenv(chart.PLOTLY_URL_ENV, raising=False)
    assert chart.plotly_chart("a", go.Figure()).plotly_url == ""  # type: ignore[attr-defined]
    monkeypatch.setenv(chart.PLOTLY_URL_ENV, "/" + server.PLOTLY_PATH)
    c = chart.plotly_chart("b", go.Figure())
    assert c.plotly_url == "/colonykit/plotly.min.js"  # type: ignore[attr-defined]
    assert server.PLOTLY_URL_ENV == chart.PLOTLY_URL_ENV
