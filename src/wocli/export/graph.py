"""GEXF (Gephi) and GraphML: people, groups, events, votes, works and terms as nodes with
their kind, name, dates and sources; memberships, participation, sides, citations and the
rest as edges typed by `relation` (see tables.EDGE_TYPES), written with networkx.

In GEXF a dated node also has a spell from its first to its last day, so Gephi's timeline
can show the network as it was at any date.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..provenance import source_lines
from .rows import SOURCES
from .tables import edges, node

if TYPE_CHECKING:
    import networkx as nx

    from ..store import FactBase


def clean(text: str | None) -> str | None:
    from ..render.safe import clean as visible

    return None if text is None else visible(text)


def network(base: FactBase, spells: bool = False) -> nx.MultiDiGraph:
    """The base as a directed multigraph: a node per record, an edge per link."""
    import networkx as nx

    graph = nx.MultiDiGraph(name="Workers' Opposition")
    for rec in base.all():
        values = node(rec)
        attrs: dict[str, Any] = {
            "label": clean(values["name"]),  # XML forbids control characters: shown, not kept
            "kind": values["kind"],
            "date": values["date"],
            "start": values["start"],
            "end": values["end"],
            "sources": clean(SOURCES.join(source_lines(rec, base))),
        }
        if spells and (values["start"] or values["end"]):
            attrs["spells"] = [(values["start"], values["end"])]
        graph.add_node(rec.id, **{k: v for k, v in attrs.items() if v is not None})
    for edge in edges(base):
        attrs = {"relation": edge["relation"]}
        if edge["votes"] is not None:
            attrs["votes"] = edge["votes"]
        graph.add_edge(edge["source"], edge["target"], **attrs)
    return graph


def gexf(base: FactBase) -> str:
    import networkx as nx

    graph = network(base, spells=True)
    for _, attrs in graph.nodes(data=True):  # the spell says it; GEXF reserves start and end
        attrs.pop("start", None)
        attrs.pop("end", None)
    return _xml(nx.generate_gexf(graph))


def graphml(base: FactBase) -> str:
    import networkx as nx

    return _xml(nx.generate_graphml(network(base)))


def _xml(lines: Iterable[str]) -> str:
    """A whole XML document: networkx's lines, after a declaration if they lack one."""
    text = "\n".join(lines) + "\n"
    return text if text.startswith("<?xml") else "<?xml version='1.0' encoding='utf-8'?>\n" + text
