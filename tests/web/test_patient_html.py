"""A small HTML tree for the patient-page tests (standard library only), and tests of the tree itself.

``parse(html)`` returns the root :class:`Node`; nodes can be searched by tag, id, class and attribute, and
their text read with or without the parts that come from the library (class ``lib``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from metastasis.api import create_app

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    """One element (or the document root, tag ``#root``)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)
    parent: Node | None = None

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def walk(self) -> Iterator[Node]:
        """This node and every element below it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        """Elements with this tag (any when None) whose attributes equal ``attrs`` (``aria_current`` means
        ``aria-current``, ``for_`` means ``for``; ``class_`` matches one class)."""
        wanted_class = attrs.pop("class_", None)
        return [
            node
            for node in self.walk()
            if (tag is None or node.tag == tag)
            and (wanted_class is None or wanted_class in node.classes)
            and all(node.attrs.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())
        ]

    def by_id(self, element_id: str) -> Node:
        found = [node for node in self.walk() if node.attrs.get("id") == element_id]
        assert len(found) == 1, f"{len(found)} elements with id {element_id!r}"
        return found[0]

    def text(self, skip: Callable[[Node], bool] = lambda node: False) -> str:
        """The text below this node, whitespace collapsed; subtrees for which ``skip`` is true are left out."""
        parts: list[str] = []

        def collect(node: Node) -> None:
            if skip(node) or node.tag in ("script", "style"):
                return
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                else:
                    collect(child)
                    if child.tag in ("p", "li", "h1", "h2", "h3", "h4", "legend", "label", "caption", "summary"):
                        parts.append(" ")

        collect(self)
        return " ".join("".join(parts).split())

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, parent=self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is None:
            raise AssertionError(f"closing </{tag}> without an opening tag")
        self.current = node.parent or self.root

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(html: str) -> Node:
    """The document tree of an HTML page."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


def test_parse_builds_a_tree_with_void_elements_and_text():
    root = parse('<main><p class="a lib">Hi <b>there</b></p><input id="x" name="y"><p>Bye</p></main>')
    assert [node.tag for node in root.walk()] == ["#root", "main", "p", "b", "input", "p"]
    assert root.by_id("x").attrs["name"] == "y"
    assert root.text() == "Hi there Bye"
    assert root.text(skip=lambda node: "lib" in node.classes) == "Bye"
    assert root.find_all("p", class_="a")[0].text() == "Hi there"


def test_parse_refuses_a_stray_closing_tag():
    with pytest.raises(AssertionError, match="closing"):
        parse("<p>text</div>")


def test_the_patient_entrance_parses(client):
    root = parse(client.get("/patient").text)
    assert len(root.find_all("h1")) == 1
