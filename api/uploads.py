"""Multipart uploads read as they arrive, in bounded memory.

Starlette's form parser reads the whole body (spooling files to disk) before the route
runs, so a request without a valid key or grant was spooled before it was refused. The
upload route authenticates from the headers first, then reads the body with
:class:`MultipartReader`: text fields are kept (each at most :data:`MAX_FIELD_BYTES`),
and when a file part starts the route decides, from the fields before it, whether to
take it and where to write it; a file is written to disk chunk by chunk as it arrives.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import IO, Any, Final

from python_multipart.multipart import MultipartParser, MultipartState, parse_options_header

from mdr.errors import InvalidInput, MdrError, PayloadTooLarge

MAX_FIELD_BYTES: Final = 64 * 1024
MAX_FIELDS: Final = 32


@dataclass
class _Part:
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    name: str = ""
    filename: str | None = None


@dataclass
class MultipartReader:
    """Reads ``multipart/form-data`` from ``chunks``.

    ``open_file(name, filename, fields)`` is called when a file part starts, with the
    text fields read so far (repeated names keep every value, in order); it returns the
    binary file to write the part to, and may raise to refuse it before any of its
    bytes is kept. File parts larger than ``max_file_bytes[name]`` are refused (413).
    """

    content_type: str
    open_file: Callable[[str, str, dict[str, list[str]]], IO[bytes]]
    max_file_bytes: dict[str, int] = field(default_factory=dict)
    fields: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, IO[bytes]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        kind, options = parse_options_header(self.content_type)
        boundary = options.get(b"boundary")
        if kind != b"multipart/form-data" or not boundary:
            raise InvalidInput("send the upload as multipart/form-data",
                               errors=[{"field": "Content-Type", "message": "not multipart"}])
        self._events: list[tuple[str, Any]] = []
        self._header_name = b""
        self._header_value = b""
        self._parser = MultipartParser(boundary, {
            "on_part_begin": lambda: self._events.append(("begin", None)),
            "on_header_field": self._header_field,
            "on_header_value": self._header_value_part,
            "on_header_end": self._header_end,
            "on_headers_finished": lambda: self._events.append(("headers", None)),
            "on_part_data": lambda data, start, end: self._events.append(
                ("data", data[start:end])),
            "on_part_end": lambda: self._events.append(("end", None)),
        })
        self._part: _Part | None = None
        self._pending_headers: list[tuple[bytes, bytes]] = []
        self._text = bytearray()
        self._written = 0
        self._ended = False

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _header_value_part(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        # Queued like the other events: a part's headers belong after its "begin".
        self._events.append(("header", (self._header_name.lower(), self._header_value)))
        self._header_name, self._header_value = b"", b""

    async def read(self, chunks: AsyncIterator[bytes]) -> None:
        """Read the whole body; fields end up in :attr:`fields`, files in :attr:`files`."""
        try:
            async for chunk in chunks:
                self._parser.write(chunk)
                self._drain()
            self._parser.finalize()
            self._drain()
        except MdrError:  # the route's own refusals, from open_file
            raise
        except Exception as exc:  # python-multipart's own errors: a malformed body
            raise InvalidInput("the multipart body is malformed") from exc
        finally:
            for handle in self.files.values():
                handle.close()
        if not self._ended:
            raise InvalidInput("the multipart body ended before its last part")

    def _drain(self) -> None:
        events, self._events = self._events, []
        for kind, value in events:
            if kind == "begin":
                self._part, self._pending_headers = _Part(), []
                self._text, self._written = bytearray(), 0
            elif kind == "header":
                self._pending_headers.append(value)
            elif kind == "headers":
                self._start_part()
            elif kind == "data":
                self._data(value)
            elif kind == "end":
                self._end_part()
        self._ended = self._parser.state == MultipartState.END

    def _start_part(self) -> None:
        part = self._part
        assert part is not None
        part.headers = self._pending_headers
        disposition = next((v for k, v in part.headers if k == b"content-disposition"), b"")
        _, options = parse_options_header(disposition)
        part.name = options.get(b"name", b"").decode("utf-8", "replace")
        raw_filename = options.get(b"filename")
        part.filename = raw_filename.decode("utf-8", "replace") if raw_filename is not None \
            else None
        if part.filename is not None and part.name not in self.files:
            self.files[part.name] = self.open_file(part.name, part.filename, self.fields)
        elif part.filename is None and sum(len(v) for v in self.fields.values()) >= MAX_FIELDS:
            raise InvalidInput(f"at most {MAX_FIELDS} form fields")

    def _data(self, data: bytes) -> None:
        part = self._part
        assert part is not None
        if part.filename is None:
            self._text += data
            if len(self._text) > MAX_FIELD_BYTES:
                raise InvalidInput(f"form field {part.name[:40]!r} is longer than "
                                   f"{MAX_FIELD_BYTES} bytes")
            return
        handle = self.files.get(part.name)
        if handle is None:
            return
        self._written += len(data)
        limit = self.max_file_bytes.get(part.name)
        if limit is not None and self._written > limit:
            raise PayloadTooLarge(f"the {part.name[:40]} part exceeds {limit} bytes")
        handle.write(data)

    def _end_part(self) -> None:
        part = self._part
        if part is not None and part.filename is None:
            try:
                value = self._text.decode("utf-8")
            except UnicodeDecodeError:
                raise InvalidInput(f"form field {part.name[:40]!r} is not UTF-8") from None
            self.fields.setdefault(part.name, []).append(value)
        self._part = None
