"""Citations of the report: internal source keys turned into numbered references.

The data tables name their sources by internal keys (``seed 003 §9.1.1``, ``facts.md §2.2 …
URL``); :class:`References` numbers the publications they name, in the order first cited, and
keeps every key for the report's appendix.  :func:`public_source` is one source string as a
reader sees it.

Examples
--------
>>> refs = References()
>>> refs.cite("seed 003 §2.4")
'[1] §2.4'
>>> refs.entries[0].publication
'SG24-6299-00'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd

from colonykit.reference import row_of

_SEED_RE = re.compile(r"\b(seed \d{3}|SG24-6824)\b\s*((?:§|Table|Fig)[^;,()]*)?")
_URL_RE = re.compile(r"https?://\S+")
_INTERNAL_RE = re.compile(
    r"\b(?:facts|provisioning-formats|tooling)\.md\b\s*(?:§\s*[\d.]+[a-z]?)?[:,]?\s*"
)


def public_source(source: str) -> str:
    """A source string without colonykit's internal file keys (``facts.md §1.6``), seeds named by publication.

    Parameters
    ----------
    source : str
        A source string of a reference table or finding.

    Examples
    --------
    >>> public_source("facts.md §1.6 IBM AIX tip http://x.example/a")
    'IBM AIX tip http://x.example/a'
    >>> public_source("seed 003 §2.3")
    'SG24-6299-00 §2.3'
    """
    pubs = publications()

    def seed(m: re.Match[str]) -> str:
        key = m.group(1)
        num: Any = pubs.loc[key, "number"] if key in pubs.index else None
        name = (
            str(num)
            if num is not None and pd.notna(num)
            else str(pubs.loc[key, "title"])
            if key in pubs.index
            else key
        )
        return f"{name} {m.group(2) or ''}".strip()

    return _SEED_RE.sub(seed, _INTERNAL_RE.sub("", str(source))).strip(" ;,")


@lru_cache(maxsize=1)
def publications() -> pd.DataFrame:
    """The publications the source keys name (``colonykit/_data/publications.csv``), by key."""
    from colonykit import reference

    return reference.load_table("publications", index="key")


@dataclass(frozen=True)
class Citation:
    """One numbered reference of the report: a publication (or web page) and the sections cited.

    Parameters
    ----------
    number : int
        The reference's number in the report.
    title : str
        Title of the publication or page.
    publication : str, optional
        Publication number (e.g. ``SG24-6299-00``).
    publisher : str, optional
        Publisher.
    year : str, optional
        Year of publication.
    url : str, optional
        Address of a web source.
    sections : tuple of str, optional
        The sections cited.
    """

    number: int
    title: str
    publication: str = ""
    publisher: str = ""
    year: str = ""
    url: str = ""
    sections: tuple[str, ...] = ()

    def text(self) -> str:
        """``[n] SG24-6299-00, "Title", IBM Redbooks, 2001, §2.3, §9.1.1``."""
        parts = [
            self.publication,
            f"“{self.title}”" if self.title else "",
            self.publisher,
            self.year,
            ", ".join(self.sections),
            self.url,
        ]
        return f"[{self.number}] " + ", ".join(p for p in parts if p)


class References:
    """Numbered references built from internal source keys (``seed 003 §9.1.1``, ``facts.md §2.2 … URL``).

    :meth:`cite` turns one source string into ``[1] §9.1.1; [4]``; :attr:`entries` is the
    numbered list; :attr:`keys` maps every internal key seen to what it was cited as
    (the appendix).
    """

    def __init__(self) -> None:
        self._by_id: dict[str, dict[str, Any]] = {}
        self.keys: dict[str, str] = {}

    def _ref(self, ident: str, **info: Any) -> dict[str, Any]:
        if ident not in self._by_id:
            self._by_id[ident] = {"number": len(self._by_id) + 1, "sections": [], **info}
        return self._by_id[ident]

    def cite(self, source: str) -> str:
        """The citation text for one source string (empty when it names no publication).

        Parameters
        ----------
        source : str
            A source string of a reference table or finding.
        """
        if not source:
            return ""
        out: list[str] = []
        pubs = publications()
        for part in (x.strip() for x in str(source).split(";")):
            if not part:
                continue
            seeds = list(_SEED_RE.finditer(part))
            for m in seeds:
                key, section = m.group(1), (m.group(2) or "").strip()
                row = row_of(pubs, key) if key in pubs.index else None
                ref = self._ref(
                    key,
                    title=str(row["title"]) if row is not None else key,
                    publication=str(row["number"])
                    if row is not None and pd.notna(row["number"])
                    else "",
                    publisher=str(row["publisher"])
                    if row is not None and pd.notna(row["publisher"])
                    else "",
                    year=str(int(row["year"])) if row is not None and pd.notna(row["year"]) else "",
                    url=str(row["url"]) if row is not None and pd.notna(row["url"]) else "",
                )
                if section and section not in ref["sections"]:
                    ref["sections"].append(section)
                out.append(f"[{ref['number']}]" + (f" {section}" if section else ""))
            urls = _URL_RE.findall(part)
            if urls and not seeds:
                title = _URL_RE.sub("", _INTERNAL_RE.sub("", part)).strip(" ,:;()[]")
                ref = self._ref(urls[0], title=title or urls[0], url=urls[0])
                out.append(f"[{ref['number']}]")
            elif not seeds and not urls:
                lowered = part.lower()
                kind = (
                    "colonykit derivation"
                    if lowered.startswith("derived")
                    else "planner assumption"
                    if lowered.startswith("assumption")
                    else "colonykit default"
                    if lowered.startswith("colonykit")
                    else ""
                )
                if kind:
                    out.append(kind)
        text = "; ".join(dict.fromkeys(out))
        self.keys[str(source)] = text
        return text

    @property
    def entries(self) -> list[Citation]:
        """The numbered references, in the order first cited."""
        return [
            Citation(
                number=r["number"],
                title=r.get("title", ""),
                publication=r.get("publication", ""),
                publisher=r.get("publisher", ""),
                year=r.get("year", ""),
                url=r.get("url", ""),
                sections=tuple(r["sections"]),
            )
            for r in self._by_id.values()
        ]


def clean_method(method: str) -> str:
    """A method text as the report shows it: internal keys and seed names removed (they are cited).

    Parameters
    ----------
    method : str
        The ``method`` of a plan evidence item.

    Examples
    --------
    >>> clean_method("composite of the traces (seed 003 §2.3); facts.md §1.6")
    'composite of the traces'
    >>> clean_method("")
    '—'
    """
    return (
        re.sub(r"\s*\(\s*\)", "", _SEED_RE.sub("", _INTERNAL_RE.sub("", method or ""))).strip(" ,;")
        or "—"
    )


__all__ = ["Citation", "References", "clean_method", "public_source", "publications"]
