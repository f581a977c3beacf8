"""A minimal DER (ITU-T X.690 s8, s10) reader and writer for structure-aware certificate fuzzing.

A certificate is parsed into a tree of TLV nodes; a fuzz case edits one node (its tag, its
content, or the length its header declares) and writes the tree back with every enclosing
length recomputed, so a mutation reaches the parser field it aims at instead of being
stopped by the outermost length check. Only single-octet tags are handled (all a
certificate uses); a BIT STRING or OCTET STRING that wraps DER stays opaque bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

CONSTRUCTED = 0x20


@dataclass
class Node:
    """One TLV. `children` is used when the tag is constructed, `content` otherwise."""

    tag: int
    content: bytes = b""
    children: list[Node] = field(default_factory=list)
    # A mutation: added to the encoded length of this node's header only.
    length_skew: int = 0
    # A mutation: write the length in long form with this many octets (non-minimal DER).
    long_form: int = 0

    @property
    def constructed(self) -> bool:
        return bool(self.tag & CONSTRUCTED)

    def walk(self) -> Iterator[Node]:
        """This node and every node below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


def _read_length(data: bytes, offset: int) -> tuple[int, int]:
    first = data[offset]
    if first < 0x80:
        return first, offset + 1
    count = first & 0x7F
    return int.from_bytes(data[offset + 1 : offset + 1 + count], "big"), offset + 1 + count


def parse(data: bytes) -> Node:
    """The TLV tree of one well-formed DER value (the test's own certificates)."""
    node, end = _parse_at(data, 0)
    if end != len(data):
        raise ValueError("trailing data after the DER value")
    return node


def _parse_at(data: bytes, offset: int) -> tuple[Node, int]:
    tag = data[offset]
    length, start = _read_length(data, offset + 1)
    end = start + length
    node = Node(tag)
    if node.constructed:
        position = start
        while position < end:
            child, position = _parse_at(data, position)
            node.children.append(child)
    else:
        node.content = data[start:end]
    return node, end


def _encode_length(length: int, long_form: int) -> bytes:
    length = max(length, 0)
    if length < 0x80 and not long_form:
        return bytes([length])
    # At least the octets the length needs; `long_form` asks for more (leading zeros).
    size = max((length.bit_length() + 7) // 8, long_form)
    return bytes([0x80 | size]) + length.to_bytes(size, "big")


def encode(node: Node) -> bytes:
    """The DER of `node`, lengths recomputed, with any length mutation applied."""
    body = b"".join(encode(child) for child in node.children) if node.constructed else node.content
    length = _encode_length(len(body) + node.length_skew, node.long_form)
    return bytes([node.tag]) + length + body
