"""Read YAML keeping the line of every node, so load errors can name file and line.

PyYAML's composer gives nodes with marks; this module turns them into `Node`
objects (value plus line) instead of plain Python values. Floats become
`Decimal` (exact, so 0.8 stays 0.8), duplicate keys are an error (PyYAML would
silently keep the last one), and dates stay `datetime.date`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

# libyaml's parser when PyYAML was built with it: about five times faster, and
# the plan's 120 files are read by every process that decides a case.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlError(Exception):
    """A YAML file that cannot be read; the message names file and line."""

    def __init__(self, path: Path | str, line: int | None, message: str):
        self.path = Path(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else str(self.path)
        super().__init__(f"{where}: {message}")


@dataclass
class Node:
    """A YAML value with the (1-based) line it starts on."""

    value: Any  # dict[str, Node] | list[Node] | scalar
    line: int
    key_line: int | None = None  # line of this node's key in its parent mapping

    @property
    def where(self) -> int:
        """Return the line to report for this entry: its key's, else its own."""
        return self.key_line or self.line

    def plain(self) -> Any:
        """Return the value with every nested Node unwrapped."""
        if isinstance(self.value, dict):
            return {key: child.plain() for key, child in self.value.items()}
        if isinstance(self.value, list):
            return [child.plain() for child in self.value]
        return self.value


_TAG = "tag:yaml.org,2002:"


def _scalar(loader: yaml.SafeLoader, node: yaml.ScalarNode, path: Path) -> Any:
    line = node.start_mark.line + 1
    if node.tag == _TAG + "float":
        text = node.value.replace("_", "")
        try:
            value = Decimal(text)
        except InvalidOperation as error:
            raise YamlError(
                path, line, f"not a finite number: {node.value!r}"
            ) from error
        if not value.is_finite():
            raise YamlError(path, line, f"not a finite number: {node.value!r}")
        return value
    if node.tag == _TAG + "timestamp":
        try:
            value = loader.construct_object(node)
        except ValueError as error:
            raise YamlError(path, line, f"impossible date {node.value!r}") from error
        if isinstance(value, dt.datetime):
            raise YamlError(path, line, f"expected a date, not a time: {node.value!r}")
        return value
    return loader.construct_object(node)


def _walk(loader: yaml.SafeLoader, node: yaml.Node, path: Path) -> Node:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Node] = {}
        for key_node, value_node in node.value:
            key = _scalar(loader, key_node, path)
            if isinstance(key, (dt.date, int, Decimal)):
                key = key.isoformat() if isinstance(key, dt.date) else str(key)
            if key in result:
                raise YamlError(
                    path, key_node.start_mark.line + 1, f"duplicate key {key!r}"
                )
            child = _walk(loader, value_node, path)
            child.key_line = key_node.start_mark.line + 1
            result[key] = child
        return Node(result, line)
    if isinstance(node, yaml.SequenceNode):
        return Node([_walk(loader, child, path) for child in node.value], line)
    return Node(_scalar(loader, node, path), line)


def read_yaml(path: Path | str, text: str | None = None) -> Node | None:
    """Return the document in `path` as a Node tree (None for an empty file).

    Mapping keys are strings: a key written as a date (2014-01-01) or a number
    (2014) becomes its text, so `values:` keys keep the form they were written in.
    """
    path = Path(path)
    if text is None:
        text = path.read_text(encoding="utf-8")
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        return _walk(loader, root, path)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise YamlError(path, line, str(error.problem or error)) from error
    except yaml.YAMLError as error:
        raise YamlError(path, None, str(error)) from error
    finally:
        loader.dispose()
