"""Static images of the report's figures (PNG, SVG, PDF, JPEG, WebP) through kaleido.

kaleido is optional (the ``browser`` extra); without it :func:`write_images` names the extra
(:func:`colonykit._optional.require`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from colonykit._atomic import atomic_write_bytes
from colonykit._optional import require
from colonykit.errors import InputError, must_be, unknown_name
from colonykit.report.html import report_figures
from colonykit.report.pdf import CHROMIUM_PATH

if TYPE_CHECKING:
    from colonykit.plan import ColonyPlanResult

#: Image formats kaleido writes.
IMAGE_FORMATS: tuple[str, ...] = ("png", "svg", "pdf", "jpeg", "webp")


def write_images(
    result: ColonyPlanResult,
    out_dir: str | Path,
    *,
    fmt: str = "png",
    width: int = 1000,
    scale: float = 1.0,
    names: list[str] | None = None,
) -> list[Path]:
    """Optional static images of the report's figures (``<name>.<fmt>``), through kaleido.

    Needs the ``kaleido`` package (``pip install 'colonykit[browser]'``) and a Chromium;
    ``BROWSER_PATH`` defaults to :data:`CHROMIUM_PATH` when that exists.  Each file is
    written atomically.

    Parameters
    ----------
    result : ColonyPlanResult
        The result of :func:`colonykit.plan.build_plan`.
    out_dir : str or Path
        Folder for the images.
    fmt : {'png', 'svg', 'pdf', 'jpeg', 'webp'}, default 'png'
        Image format.
    width : int, default 1000
        Image width [px].
    scale : float, default 1.0
        Scale factor of the image.
    names : list of str, optional
        Figures to write; default all of :func:`report_figures`.

    Raises
    ------
    InputError
        Unknown format, or Chromium not available.
    MissingOptionalDependency
        kaleido is not installed (names the ``browser`` extra).
    """
    if fmt not in IMAGE_FORMATS:
        raise InputError(must_be("fmt", f"one of {list(IMAGE_FORMATS)}", fmt))
    require("kaleido", extra="browser", purpose="static images")
    if "BROWSER_PATH" not in os.environ and Path(CHROMIUM_PATH).exists():
        os.environ["BROWSER_PATH"] = CHROMIUM_PATH
    figs = report_figures(result)
    if names is not None:
        unknown = sorted(set(names) - set(figs))
        if unknown:
            err = unknown_name("figure", unknown[0], sorted(figs))
            raise err
        figs = {n: figs[n] for n in names}
    images: dict[str, bytes] = {}
    for name, fig in figs.items():
        try:
            images[name] = fig.to_image(
                format=fmt, width=width, height=fig.layout.height or 450, scale=scale
            )
        except (RuntimeError, ValueError, OSError) as exc:
            msg = f"static image export failed ({exc}); set BROWSER_PATH to a Chromium/Chrome"
            raise InputError(msg) from exc
    return [
        atomic_write_bytes(Path(out_dir) / f"{name}.{fmt}", data) for name, data in images.items()
    ]


__all__ = ["IMAGE_FORMATS", "write_images"]
