"""Content Blocks: create, update, read, list, find by name (``braze.content_blocks``).

The content of a block is handled as a `line_braze.Secret` throughout: for
``LINE_Channel_AccessToken`` it *is* the LINE channel access token, so it never appears in a
repr, str, error or log record.

Checked before sending (Braze's documented rules): the name is 1 to 99 characters of
``A-Z a-z 0-9 _ -``; the description, when given, is not blank and under 250 characters; the
content is not blank and under 50 KB, counted as UTF-8 bytes (fewer than 51,200: the bound
Braze's "smaller than 50kb" is read as); the state is ``active`` or ``draft``.

Example:
    >>> check_name("LINE_Channel_AccessToken")
    'LINE_Channel_AccessToken'
    >>> check_name("LINE Channel")
    Traceback (most recent call last):
    ...
    line_braze.errors.ValidationError: name: only A-Z a-z 0-9 _ - are allowed, got 'LINE Channel'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any, Final, Literal, TypeVar

from line_braze._check import check_bool, check_items, non_empty_str
from line_braze._client import BaseService
from line_braze._secret import Secret
from line_braze._transport import Retry
from line_braze.braze._answers import BlockAnswer, BlockListAnswer, reader
from line_braze.braze._common import hints
from line_braze.braze.models import ContentBlock, ContentBlockRef, ContentBlockSummary
from line_braze.errors import BadRequest, LineBrazeError, ValidationError

__all__ = [
    "MAX_CONTENT_BYTES",
    "MAX_DESCRIPTION",
    "MAX_NAME",
    "ContentBlocks",
    "check_content",
    "check_description",
    "check_name",
]

#: A name must be shorter than this many characters.
MAX_NAME: Final = 100
#: A description must be shorter than this many characters.
MAX_DESCRIPTION: Final = 250
#: Content must be smaller than this many UTF-8 bytes (50 KB).
MAX_CONTENT_BYTES: Final = 50 * 1024
_NAME: Final = re.compile(r"[A-Za-z0-9_-]+")
_ALREADY_EXISTS: Final = "already exists"
T = TypeVar("T")
State = Literal["active", "draft"]


def check_name(name: str, *, field: str = "name") -> str:
    """Return ``name`` if Braze accepts it as a Content Block name, else raise.

    Raises:
        line_braze.errors.ValidationError: empty, 100 characters or more, or a character
            outside ``A-Z a-z 0-9 _ -``.
    """
    checked: object = name
    if not isinstance(checked, str) or not name:
        raise ValidationError(field, "must be a non-empty string")
    if len(name) >= MAX_NAME:
        raise ValidationError(field, f"must be shorter than {MAX_NAME} characters, got {len(name)}")
    if not _NAME.fullmatch(name):
        raise ValidationError(field, f"only A-Z a-z 0-9 _ - are allowed, got {name!r}")
    return name


def check_description(description: str, *, field: str = "description") -> str:
    """Return ``description`` if Braze accepts it, else raise.

    Example:
        >>> check_description("x" * 250)
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: description: must be shorter than 250 characters, got 250
    """
    checked: object = description
    if not isinstance(checked, str) or not description.strip():
        raise ValidationError(field, "must be a non-blank string when given")
    if len(description) >= MAX_DESCRIPTION:
        raise ValidationError(
            field, f"must be shorter than {MAX_DESCRIPTION} characters, got {len(description)}"
        )
    return description


def check_content(content: str | Secret, *, field: str = "content") -> Secret:
    """Return the content as a `Secret` if Braze accepts it, else raise (never showing it).

    Example:
        >>> check_content("token-value")
        Secret('********')
        >>> check_content("   ")
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: content: must not be blank
    """
    checked: object = content
    if not isinstance(checked, str | Secret):
        raise ValidationError(field, f"must be a str or Secret, got {type(checked).__name__}")
    secret = content if isinstance(content, Secret) else Secret(content)
    raw = secret.reveal()
    if not raw.strip():
        raise ValidationError(field, "must not be blank")
    size = len(raw.encode())
    if size >= MAX_CONTENT_BYTES:
        raise ValidationError(
            field, f"must be smaller than 50 KB ({MAX_CONTENT_BYTES} UTF-8 bytes), got {size}"
        )
    return secret


def _check_state(state: str) -> str:
    if state not in {"active", "draft"}:
        raise ValidationError("state", f"must be 'active' or 'draft', got {state!r}")
    return state


def _check_tags(tags: Sequence[str]) -> list[str]:
    return list(check_items(tags, "tags", non_empty_str, what="a list of tag names"))


def _summary(item: BlockAnswer) -> ContentBlockSummary:
    return ContentBlockSummary(
        content_block_id=item.content_block_id or "",
        name=item.name or "",
        content_type=item.content_type,
        liquid_tag=item.liquid_tag,
        inclusion_count=item.inclusion_count,
        created_at=item.created_at,
        last_edited=item.last_edited,
        tags=item.tags or (),
    )


class ContentBlocks(BaseService):
    """``/content_blocks/*``. Not built directly: use ``BrazeClient(...).content_blocks``.

    Retries: reads and updates are retried (repeating them is harmless). A create is
    retried only where Braze cannot have seen it; if a retried create is refused because
    the name "already exists", or its answer was lost, the block is looked up by name and
    returned when its content is the one sent (the earlier attempt created it).
    """

    def create(
        self,
        name: str,
        content: str | Secret,
        *,
        description: str | None = None,
        state: State = "active",
        tags: Sequence[str] = (),
    ) -> ContentBlock:
        """Create a Content Block and return it (its content masked).

        Names are unique (archived blocks included) and cannot change once active; an
        active block cannot go back to draft.

        Args:
            name: 1-99 characters of ``A-Z a-z 0-9 _ -``.
            content: the body, under 50 KB (a `Secret` or a string).
            description: optional, under 250 characters.
            state: ``"active"`` (default) or ``"draft"``.
            tags: tag names that already exist in the workspace.

        Raises:
            line_braze.errors.ValidationError: a rule above is broken (nothing was sent).
            line_braze.errors.BadRequest: Braze refused it (a name in use: use `find` and
                `update`).
        """
        check_name(name)
        secret = check_content(content)
        body: dict[str, Any] = {"name": name, "content": secret.reveal()}
        if description is not None:
            body["description"] = check_description(description)
        body["state"] = _check_state(state)
        if tags:
            body["tags"] = _check_tags(tags)
        try:
            answer = self._transport.fetch(
                "POST",
                "/content_blocks/create",
                into=reader(BlockAnswer),
                json_body=body,
                retry=Retry.UNRECORDED,
                hints=hints("content_blocks.create"),
            )
        except BadRequest as err:
            if err.attempts > 1 and _ALREADY_EXISTS in err.message.lower():
                return self._recover(name, secret, err)
            raise
        except LineBrazeError as err:
            if getattr(err, "may_have_taken_effect", False):
                return self._recover(name, secret, err)
            raise
        return ContentBlock(
            content_block_id=answer.content_block_id or "",
            name=name,
            content=secret,
            description=description,
            content_type=None,
            liquid_tag=answer.liquid_tag or "{{content_blocks.${" + name + "}}}",
            state=state,
            tags=tuple(tags),
            created_at=answer.created_at,
            last_edited=answer.created_at,
        )

    def _recover(self, name: str, secret: Secret, err: LineBrazeError) -> ContentBlock:
        block = self.find(name)
        if block is not None and block.content == secret:
            return block
        raise err

    def upsert(
        self,
        name: str,
        content: str | Secret,
        *,
        description: str | None = None,
    ) -> ContentBlock:
        """Make the block called ``name`` hold ``content``: create it, or update it.

        Safe to call from many threads or processes at once: one block is left and
        nothing is raised. A create answered "Content Block with this name already exists"
        (another caller created it in between) reads the block again and updates it. A
        block that already holds ``content`` is returned unchanged, without a write.

        Args:
            name: 1-99 characters of ``A-Z a-z 0-9 _ -``.
            content: the body, under 50 KB (a `Secret` or a string).
            description: set when the block is created (an existing one keeps its own).

        Returns:
            The block as Braze holds it (its content masked).

        Raises:
            line_braze.errors.ValidationError: a rule of `create` is broken (nothing sent).
            line_braze.errors.BadRequest: Braze refused the create for another reason, or
                said the name exists but the block could not be read back.

        Example:
            >>> from line_braze.testing import BrazeEmulator
            >>> from line_braze.braze.client import BrazeClient
            >>> with BrazeEmulator() as emulator, BrazeClient(
            ...     emulator.api_key, rest_endpoint=emulator.url
            ... ) as braze:
            ...     first = braze.content_blocks.upsert("Token", "v1")
            ...     second = braze.content_blocks.upsert("Token", "v2")
            ...     (first.content_block_id == second.content_block_id,
            ...      second.content.reveal(), len(emulator.content_blocks))
            (True, 'v2', 1)
        """
        check_name(name)
        secret = check_content(content)
        if description is not None:
            check_description(description)
        existing = self.find(name)
        if existing is None:
            try:
                return self.create(name, secret, description=description)
            except BadRequest as err:
                if _ALREADY_EXISTS not in err.message.lower():
                    raise
                existing = self.find(name)
                if existing is None:
                    raise
        if existing.content == secret:
            return existing
        self.update(existing.content_block_id, content=secret)
        return self.get(existing.content_block_id)

    def update(
        self,
        content_block_id: str,
        *,
        content: str | Secret | None = None,
        description: str | None = None,
        name: str | None = None,
        state: State | None = None,
        tags: Sequence[str] | None = None,
    ) -> ContentBlockRef:
        """Update a Content Block; only the fields given change.

        Every message that includes the block uses the new content from then on.

        Raises:
            line_braze.errors.ValidationError: a rule of `create` is broken, or nothing to
                change.
            line_braze.errors.BadRequest: Braze refused it (renaming an active block, active
                to draft, an unknown ID).
        """
        if not content_block_id:
            raise ValidationError("content_block_id", "must not be empty")
        body: dict[str, Any] = {"content_block_id": content_block_id}
        if content is not None:
            body["content"] = check_content(content).reveal()
        if description is not None:
            body["description"] = check_description(description)
        if name is not None:
            body["name"] = check_name(name)
        if state is not None:
            body["state"] = _check_state(state)
        if tags is not None:
            body["tags"] = _check_tags(tags)
        if len(body) == 1:
            raise ValidationError("update", "give at least one field to change")
        answer = self._transport.fetch(
            "POST",
            "/content_blocks/update",
            into=reader(BlockAnswer),
            json_body=body,
            retry=Retry.SAFE,
            hints=hints("content_blocks.update"),
        )
        return ContentBlockRef(
            content_block_id=answer.content_block_id or content_block_id,
            liquid_tag=answer.liquid_tag,
            created_at=answer.created_at,
        )

    def get(self, content_block_id: str, *, include_inclusion_data: bool = False) -> ContentBlock:
        """Read one Content Block with its content (``/content_blocks/info``).

        Args:
            content_block_id: the block's ID.
            include_inclusion_data: also ask Braze which messages include the block; it
                comes back, as Braze answers it, in ``block.inclusion_data``.

        Raises:
            line_braze.errors.ValidationError: an empty ID or a non-bool flag.
            line_braze.errors.BadRequest: no such block in this workspace.
        """
        if not content_block_id:
            raise ValidationError("content_block_id", "must not be empty")
        params: dict[str, Any] = {"content_block_id": content_block_id}
        if check_bool(include_inclusion_data, "include_inclusion_data"):
            params["include_inclusion_data"] = "true"
        body = self._transport.fetch(
            "GET",
            "/content_blocks/info",
            into=reader(BlockAnswer),
            params=params,
            retry=Retry.SAFE,
            hints=hints("content_blocks.info"),
        )
        summary = _summary(body)
        return ContentBlock(
            content_block_id=summary.content_block_id or content_block_id,
            name=summary.name,
            content=Secret(body.content or ""),
            description=body.description or None,
            content_type=summary.content_type,
            liquid_tag=summary.liquid_tag,
            state=body.state,
            tags=summary.tags,
            inclusion_count=summary.inclusion_count,
            inclusion_data=body.inclusion_data,
            created_at=summary.created_at,
            last_edited=summary.last_edited,
        )

    def list(
        self,
        *,
        modified_after: str | None = None,
        modified_before: str | None = None,
        page_size: int = 1000,
    ) -> Iterator[ContentBlockSummary]:
        """Yield every Content Block (without content), fetching pages lazily by offset.

        Paging stops at the first page shorter than ``page_size``. The answer's ``count``
        decides nothing: Braze does not document whether it counts the page or the
        workspace, and reading it as the total would stop after the first full page.

        Args:
            modified_after: only blocks edited at or after this ISO 8601 time.
            modified_before: only blocks edited at or before this ISO 8601 time.
            page_size: blocks per request, 1 to 1000.

        Raises:
            line_braze.errors.ValidationError: ``page_size`` out of range.
        """
        if not 1 <= page_size <= 1000:  # noqa: PLR2004
            raise ValidationError("page_size", f"must be 1..1000, got {page_size}")
        params: dict[str, Any] = {"limit": page_size}
        if modified_after is not None:
            params["modified_after"] = modified_after
        if modified_before is not None:
            params["modified_before"] = modified_before
        return self._pages(params, page_size)

    def _pages(self, params: dict[str, Any], page_size: int) -> Iterator[ContentBlockSummary]:
        offset = 0
        while True:
            query = dict(params)
            if offset:
                query["offset"] = offset  # Braze is reported to refuse offset=0
            page = self._transport.fetch(
                "GET",
                "/content_blocks/list",
                into=reader(BlockListAnswer),
                params=query,
                retry=Retry.SAFE,
                hints=hints("content_blocks.list"),
            )
            items = page.content_blocks or ()
            for item in items:
                yield _summary(item)
            offset += len(items)
            if len(items) < page_size:
                return

    def find(self, name: str) -> ContentBlock | None:
        """Return the Content Block called ``name`` with its content, or ``None``.

        Braze has no lookup by name: this pages through `list` until it finds the name,
        then reads the block with `get`.

        Raises:
            line_braze.errors.ValidationError: ``name`` is not a valid block name.
        """
        check_name(name)
        for summary in self.list():
            if summary.name == name:
                return self.get(summary.content_block_id)
        return None
