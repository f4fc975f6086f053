"""The shared layer: Secret, RetryPolicy, wait-hint parsing, errors, logging, pagination."""

from __future__ import annotations

import email.utils
import logging
import pickle
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from requests.structures import CaseInsensitiveDict

from line_braze._logging import RedactingFilter, redact
from line_braze._retry import RetryPolicy, parse_rate_limit_wait, parse_retry_after
from line_braze._secret import Secret, as_secret
from line_braze.errors import (
    APIError,
    BadRequest,
    ConnectError,
    ConnectionLost,
    LineBrazeError,
    RateLimited,
    RequestTimeout,
    ServerError,
    ValidationError,
    error_class_for_status,
)
from line_braze.pagination import Page, batched, iter_pages

TOKEN = "tok-7f3a9c1e-SECRET-VALUE"


class TestSecret:
    def test_every_display_form_is_masked(self) -> None:
        s = Secret(TOKEN)
        for shown in (repr(s), str(s), f"{s}", f"{s!r}", f"{s:>40}", repr([s]), repr({"k": s})):
            assert TOKEN not in shown
        assert s.reveal() == TOKEN

    def test_cannot_be_pickled(self) -> None:
        with pytest.raises(TypeError):
            pickle.dumps(Secret(TOKEN))

    def test_equality_and_hash_by_value(self) -> None:
        assert Secret("a") == Secret("a")
        assert Secret("a") != Secret("b")
        assert len({Secret("a"), Secret("a")}) == 1

    @pytest.mark.parametrize("bad", ["", " zq9x", "zq9x\n", "\tzq9x"])
    def test_as_secret_refuses_empty_or_padded(self, bad: str) -> None:
        with pytest.raises(ValidationError) as info:
            as_secret(bad, name="channel_access_token")
        assert info.value.field == "channel_access_token"
        assert bad.strip() == "" or bad.strip() not in str(info.value)

    def test_non_string_is_a_type_error(self) -> None:
        with pytest.raises(TypeError):
            Secret(123)  # type: ignore[arg-type]


class TestRetryPolicy:
    def test_exponential_then_capped(self) -> None:
        p = RetryPolicy(wait_initial=1, wait_max=5, wait_jitter=0, exp_base=2)
        assert [p.delay(n) for n in range(1, 6)] == [1, 2, 4, 5, 5]

    def test_server_hint_replaces_backoff(self) -> None:
        assert RetryPolicy().delay(3, retry_after=0.25, rand=0.9) == 0.25

    @settings(max_examples=200, deadline=None)
    @given(
        attempt=st.integers(1, 10_000),
        rand=st.floats(0, 1, exclude_max=True),
        initial=st.floats(0, 10),
        cap=st.floats(0, 100),
        jitter=st.floats(0, 5),
    )
    def test_delay_is_bounded(
        self, attempt: int, rand: float, initial: float, cap: float, jitter: float
    ) -> None:
        p = RetryPolicy(wait_initial=initial, wait_max=cap, wait_jitter=jitter)
        d = p.delay(attempt, rand=rand)
        assert 0 <= d <= cap + jitter

    @pytest.mark.parametrize(
        "kwargs", [{"attempts": 0}, {"wait_initial": -1}, {"wait_max": float("inf")}]
    )
    def test_bad_knobs_raise_validation_error(self, kwargs: dict[str, float]) -> None:
        with pytest.raises(ValidationError):
            RetryPolicy(**kwargs)  # type: ignore[arg-type]

    def test_honours_up_to_cap(self) -> None:
        p = RetryPolicy(max_retry_after=10)
        assert p.honours(None)
        assert p.honours(10)
        assert not p.honours(10.5)

    def test_repr_shows_non_defaults(self) -> None:
        assert repr(RetryPolicy(attempts=5)) == "RetryPolicy(attempts=5)"
        assert "wait_max=1.0" in repr(RetryPolicy(wait_max=1.0))


class TestWaitHints:
    def test_retry_after_seconds_and_date(self) -> None:
        now = 1_700_000_000.0
        date = email.utils.formatdate(now + 42, usegmt=True)
        assert parse_retry_after("3", now=now) == 3.0
        assert parse_retry_after(date, now=now) == pytest.approx(42, abs=1)
        assert parse_retry_after("-1", now=now) is None
        assert parse_retry_after("nan", now=now) is None
        assert parse_retry_after("garbage", now=now) is None

    def test_braze_reset_as_epoch_and_as_delta(self) -> None:
        now = 1_700_000_000.0
        epoch = CaseInsensitiveDict({"X-RateLimit-Reset": str(int(now) + 2)})
        delta = CaseInsensitiveDict({"x-ratelimit-reset": "2"})
        assert parse_rate_limit_wait(epoch, now=now) == 2.0
        assert parse_rate_limit_wait(delta, now=now) == 2.0

    def test_braze_retry_after_header_wins(self) -> None:
        headers = CaseInsensitiveDict(
            {"X-Ratelimit-Retry-After": "7", "Retry-After": "1", "X-RateLimit-Reset": "3"}
        )
        assert parse_rate_limit_wait(headers, now=0) == 7.0

    @settings(max_examples=100, deadline=None)
    @given(st.text(max_size=30))
    def test_never_raises_on_garbage(self, value: str) -> None:
        result = parse_rate_limit_wait(CaseInsensitiveDict({"X-RateLimit-Reset": value}), now=0)
        assert result is None or result >= 0


class TestErrors:
    def test_line_error_line(self) -> None:
        err = BadRequest(
            "line",
            "POST",
            "/v2/bot/message/push",
            400,
            "May not be empty",
            details=[{"message": "May not be empty", "property": "messages[0].text"}],
            request_id="req-1",
        )
        assert str(err) == (
            "LINE POST /v2/bot/message/push -> 400: May not be empty (messages[0].text) "
            "(request_id=req-1, attempts=1)"
        )
        assert "\n" not in str(err)

    def test_braze_error_names_item_errors(self) -> None:
        err = APIError(
            "braze", "POST", "/users/track", 400, "Bad", errors=[{"type": "x"}, "y", "z", "w"]
        )
        assert "x; y; z and 1 more" in str(err)

    @pytest.mark.parametrize(
        ("status", "cls"),
        [(400, BadRequest), (429, RateLimited), (502, ServerError), (418, APIError)],
    )
    def test_class_for_status(self, status: int, cls: type[APIError]) -> None:
        assert error_class_for_status(status) is cls

    def test_validation_error_is_value_error_and_prefixes(self) -> None:
        err = ValidationError("text", "too long").prefixed("messages[1]")
        assert isinstance(err, ValueError)
        assert isinstance(err, LineBrazeError)
        assert err.field == "messages[1].text"
        assert ValidationError("[0]", "x").prefixed("to").field == "to[0]"

    def test_transport_errors_say_whether_it_may_have_happened(self) -> None:
        assert not ConnectError("line", "GET", "/x", "refused").may_have_taken_effect
        assert ConnectionLost("line", "GET", "/x", "lost").may_have_taken_effect
        assert RequestTimeout("line", "GET", "/x", "slow").may_have_taken_effect


class TestRedaction:
    @pytest.mark.parametrize(
        "text",
        [
            f"Authorization: Bearer {TOKEN}",
            f"{{'Authorization': 'Bearer {TOKEN}'}}",
            f"access_token={TOKEN}&x=1",
            f'{{"client_secret": "{TOKEN}"}}',
            f"bearer {TOKEN}",
        ],
    )
    def test_redact(self, text: str) -> None:
        assert TOKEN not in redact(text)

    def test_filter_rewrites_records(self, caplog: pytest.LogCaptureFixture) -> None:
        log = logging.getLogger("line_braze.test")
        log.addFilter(RedactingFilter())
        with caplog.at_level(logging.DEBUG, logger="line_braze.test"):
            log.debug("sending headers %s", {"Authorization": f"Bearer {TOKEN}"})
        assert TOKEN not in caplog.text
        assert "********" in caplog.text


class TestPagination:
    def test_iter_pages_is_lazy_and_resumable(self) -> None:
        fetched: list[str | None] = []
        book = {
            None: Page(items=(1, 2), next="b"),
            "b": Page(items=(3,), next="c"),
            "c": Page(items=(4,), next=None),
        }

        def fetch(token: str | None) -> Page[int]:
            fetched.append(token)
            return book[token]

        pages = iter_pages(fetch)
        assert next(pages).items == (1, 2)
        assert fetched == [None]
        assert [p.items for p in pages] == [(3,), (4,)]
        assert [p.items for p in iter_pages(fetch, start="c")] == [(4,)]

    def test_iter_pages_stops_on_a_repeated_token(self) -> None:
        pages = list(iter_pages(lambda _t: Page(items=(1,), next="same"), start="same"))
        assert len(pages) == 1

    @given(st.lists(st.integers(), max_size=300), st.integers(1, 80))
    def test_batched_keeps_order_and_sizes(self, items: list[int], size: int) -> None:
        chunks = list(batched(items, size))
        assert [x for c in chunks for x in c] == items
        assert all(1 <= len(c) <= size for c in chunks)
        assert all(len(c) == size for c in chunks[:-1])

    def test_batched_streams(self) -> None:
        consumed = 0

        def gen() -> Iterator[int]:
            nonlocal consumed
            for i in range(10**9):
                consumed += 1
                yield i

        first = next(batched(gen(), 75))
        assert len(first) == 75
        assert consumed == 75
