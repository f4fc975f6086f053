"""The wire shapes of Braze's answers, read through the one wire layer (`line_braze._wire`).

Braze's JSON is snake_case like our fields. Every field an answer may lack has a default,
and ``null`` reads as absent (``"errors": null`` is no errors), but a present value of the
wrong type is refused with its path: ``{"message": {"a": 1}}`` is a `ResponseError` saying
``must be a string, got an object @ $.message``, never ``"{'a': 1}"`` passed on as text.
Keys we do not read are ignored.

Example:
    >>> read_answer({"dispatch_id": "d1"}, DispatchAnswer, method="POST", path="/x",
    ...             status=201).dispatch_id
    'd1'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import attrs
import cattrs

from line_braze._transport import Reader
from line_braze._wire import converter, describe_structure_error, to_snake
from line_braze.errors import ResponseError

__all__ = [
    "BlockAnswer",
    "BlockListAnswer",
    "DispatchAnswer",
    "ExportAnswer",
    "IdentityAnswer",
    "TrackAnswer",
    "read_answer",
]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class BlockAnswer:
    """``/content_blocks/create``, ``/update``, ``/info`` and one item of ``/list``."""

    content_block_id: str | None = None
    name: str | None = None
    content: str | None = attrs.field(default=None, repr=False)
    description: str | None = None
    content_type: str | None = None
    liquid_tag: str | None = None
    state: str | None = None
    tags: tuple[str, ...] | None = None
    inclusion_count: int | None = None
    inclusion_data: tuple[Any, ...] | None = None
    created_at: str | None = None
    last_edited: str | None = None
    message: str | None = None


@attrs.frozen(kw_only=True)
class BlockListAnswer:
    """``/content_blocks/list``: one page of blocks."""

    content_blocks: tuple[BlockAnswer, ...] | None = None
    count: int | None = None
    message: str | None = None


@attrs.frozen(kw_only=True)
class DispatchAnswer:
    """A send (``/messages/send``, ``/campaigns/trigger/send``, ...) or ``/sends/id/create``."""

    dispatch_id: str | None = None
    send_id: str | None = None
    notice: str | None = None
    errors: tuple[Any, ...] | None = None
    message: str | None = None


@attrs.frozen(kw_only=True)
class IdentityAnswer:
    """An identity call (identify, alias, merge, delete): its counts and non-fatal errors."""

    aliases_processed: int | None = None
    emails_processed: int | None = None
    phone_numbers_processed: int | None = None
    deleted: int | None = None
    users_processed: int | None = None
    errors: tuple[Any, ...] | None = None
    message: str | None = None

    @property
    def processed(self) -> int:
        """The count Braze answered, whichever name it used."""
        counts = (
            self.aliases_processed,
            self.emails_processed,
            self.phone_numbers_processed,
            self.deleted,
            self.users_processed,
        )
        return sum(count for count in counts if count is not None)


@attrs.frozen(kw_only=True)
class ExportAnswer:
    """``/users/export/ids``: the users found and the IDs that matched nobody."""

    users: tuple[Mapping[str, Any], ...] | None = None
    invalid_user_ids: tuple[str, ...] | None = None
    message: str | None = None


@attrs.frozen(kw_only=True)
class TrackAnswer:
    """``/users/track``: the counts, ``queued`` or ``success``, and the refused objects.

    The ``errors`` entries stay as Braze sent them: most name an object by ``input_array``
    and ``index``; any other entry is kept as a notice.
    """

    attributes_processed: int | None = None
    events_processed: int | None = None
    purchases_processed: int | None = None
    errors: tuple[Any, ...] | None = None
    message: str | None = None


def read_answer(body: object, cls: type[T], *, method: str, path: str, status: int) -> T:
    """Structure a Braze answer into ``cls``, or raise `ResponseError` naming the JSON path.

    A body that is not a JSON object (empty, a bare string) reads as ``{}``: every field
    absent, as Braze's answers without a body always have been read.
    """
    value = body if isinstance(body, Mapping) else {}
    try:
        return converter.structure(value, cls)
    except (cattrs.BaseValidationError, TypeError, ValueError, KeyError, AttributeError) as exc:
        summary = describe_structure_error(exc, naming=to_snake)
        raise ResponseError(
            "braze", method, path, status, f"unexpected answer: {summary}"
        ) from None


def reader(cls: type[T]) -> Reader[T]:
    """The `Transport.fetch` ``into=`` reader that structures an answer into ``cls``."""

    def read(body: object, *, method: str, path: str, status: int) -> T:
        return read_answer(body, cls, method=method, path=path, status=status)

    return read
