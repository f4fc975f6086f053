"""One full run with known credentials: none of them shows up anywhere a person could see it.

The run covers the whole chain on the emulators (sync, install and rotate the token, preview,
send_test, a webhook, an API error and transport errors, retries after faults) with logging
at DEBUG on the root logger and every warning recorded. Then every repr, str, rich and HTML
form of everything returned, every exception (its args and ``__cause__``/``__context__``
chain), every log record and every warning is searched for the known values.
"""

from __future__ import annotations

import json
import logging
import pickle
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import responses
from hypothesis import given
from hypothesis import strategies as st

from line_braze import (
    BrazeClient,
    Integration,
    LineClient,
    RetryPolicy,
    Secret,
)
from line_braze.errors import APIError, AuthenticationError, LineBrazeError, TransportError
from line_braze.line import TextMessage
from line_braze.templates import text_template
from line_braze.testing import BrazeEmulator, LineEmulator, fake_time, follower_id
from line_braze.testing.webhooks import follow_event, unfollow_event

pytestmark = pytest.mark.reliability

LINE_TOKEN = "LiNeT0ken-9f8e7d6c5b4a-known-value"
API_KEY = "BrAzeK3y-1a2b3c4d5e6f-known-value"
WRONG_KEY = "Wr0ngK3y-0f0e0d0c0b0a-known-value"
WRONG_TOKEN = "Wr0ngT0ken-a1b1c1d1e1-known-value"
CHANNEL_SECRET = "ChAnnelS3cret-77aa88bb99-known"
CHANNEL_ID = "1656789012"
BLOCK_CONTENT = "Bl0ckC0ntent-c0ffee-known-value"
KNOWN = [LINE_TOKEN, API_KEY, WRONG_KEY, WRONG_TOKEN, CHANNEL_SECRET, BLOCK_CONTENT]


def _no_sleep(_seconds: float) -> None:
    return None


def _forms(obj: object) -> Iterator[str]:
    """Every display form of ``obj`` (and of its attributes one level down)."""
    yield repr(obj)
    yield str(obj)
    yield format(obj, "")
    html = getattr(obj, "_repr_html_", None)
    if callable(html):
        yield str(html())
    rich = getattr(obj, "__rich_repr__", None)
    if callable(rich):
        yield repr(list(rich()))


def _exception_forms(exc: BaseException) -> Iterator[str]:
    seen: set[int] = set()
    item: BaseException | None = exc
    while item is not None and id(item) not in seen:
        seen.add(id(item))
        yield from _forms(item)
        yield repr(item.args)
        yield repr(vars(item))
        yield from getattr(item, "__notes__", ())
        item = item.__cause__ or item.__context__


class Run:
    """Collects everything the run returns and raises."""

    def __init__(self) -> None:
        self.results: list[object] = []
        self.errors: list[BaseException] = []

    def keep(self, value: object) -> Any:
        self.results.append(value)
        return value

    def expect_error(self, kind: type[BaseException], call: Any) -> BaseException:
        with pytest.raises(kind) as info:
            call()
        self.errors.append(info.value)
        return info.value


def test_no_credential_or_content_block_value_leaks_anywhere(  # noqa: PLR0915 - one run, in order
    caplog: pytest.LogCaptureFixture,
) -> None:
    run = Run()
    secrets = list(KNOWN)
    with (
        caplog.at_level(logging.DEBUG),
        warnings.catch_warnings(record=True) as caught,
        LineEmulator(
            followers=160,
            access_token=LINE_TOKEN,
            channel_id=CHANNEL_ID,
            channel_secret=CHANNEL_SECRET,
        ) as line_emu,
        BrazeEmulator(api_key=API_KEY) as braze_emu,
    ):
        warnings.simplefilter("always")
        logging.getLogger().setLevel(logging.DEBUG)
        line = run.keep(
            fake_time(
                LineClient(LINE_TOKEN, base_url=line_emu.url, retry=RetryPolicy(attempts=3)),
                sleep=_no_sleep,
            )
        )
        braze = run.keep(
            fake_time(
                BrazeClient(
                    Secret(API_KEY), rest_endpoint=braze_emu.url, retry=RetryPolicy(attempts=3)
                ),
                sleep=_no_sleep,
            )
        )
        integ = run.keep(Integration(line=line, braze=braze, channel_secret=CHANNEL_SECRET))
        run.keep(integ.config)

        # retries after faults are logged; the log lines must stay clean too
        braze_emu.queue_fault("server_error", path="/users/track", count=2)
        line_emu.queue_fault("lost", path="/v2/bot/followers/ids")
        run.keep(integ.sync_followers(progress=run.keep))

        run.keep(integ.install_access_token())
        run.keep(integ.install_access_token())  # the update path
        run.keep(braze.content_blocks.create("Other_Block", BLOCK_CONTENT))
        run.keep(braze.content_blocks.find("Other_Block"))
        run.keep(list(braze.content_blocks.list()))

        rotation = run.keep(
            integ.rotate_access_token(channel_id=CHANNEL_ID, channel_secret=CHANNEL_SECRET)
        )
        secrets.append(rotation.new_token.reveal())
        assert rotation.revoked_old
        assert not line_emu.token_is_valid(LINE_TOKEN)
        # the client keeps the old token: continue with one holding the new token
        line2 = run.keep(
            fake_time(LineClient(rotation.new_token, base_url=line_emu.url), sleep=_no_sleep)
        )
        integ2 = run.keep(Integration(line=line2, braze=braze, channel_secret=CHANNEL_SECRET))

        template = run.keep(integ2.webhook_template([TextMessage(text="Hi {{${first_name}}}")]))
        run.keep(text_template("Hello"))
        user = {"first_name": "Ann", "line_id": follower_id(1)}
        preview = run.keep(integ2.preview(template, user))
        assert not preview.aborted
        # the rendered request does carry the token...
        assert preview.headers["Authorization"] == "Bearer " + rotation.new_token.reveal()
        run.keep(preview.masked_headers())  # ...and masked wherever it is shown

        run.keep(integ2.send_test(template, line_id=follower_id(1), user={"first_name": "Ann"}))
        run.keep(
            line2.messages.multicast([follower_id(2), follower_id(3)], [TextMessage(text="x")])
        )
        run.keep(line2.tokens.verify(rotation.new_token))

        delivery = line_emu.deliver_webhook(
            lambda body, sig: run.keep(integ2.handle_webhook(body, sig)),
            [follow_event(follower_id(5)), unfollow_event(follower_id(6))],
        )
        run.keep(delivery)

        # forced API errors: a revoked token, a wrong key, a bad channel secret
        revoked = run.keep(
            fake_time(LineClient(LINE_TOKEN, base_url=line_emu.url), sleep=_no_sleep)
        )  # another holder of the rotated-away (revoked) token
        run.expect_error(AuthenticationError, revoked.followers.page)
        wrong_line = run.keep(
            fake_time(LineClient(WRONG_TOKEN, base_url=line_emu.url), sleep=_no_sleep)
        )
        run.expect_error(AuthenticationError, lambda: wrong_line.profiles.get(follower_id(1)))
        wrong_braze = run.keep(
            fake_time(BrazeClient(WRONG_KEY, rest_endpoint=braze_emu.url), sleep=_no_sleep)
        )
        run.expect_error(AuthenticationError, lambda: wrong_braze.content_blocks.get("x"))
        run.expect_error(
            AuthenticationError,
            lambda: wrong_braze.users.track(attributes=[{"external_id": "u1", "a": 1}]),
        )
        run.expect_error(
            LineBrazeError,
            lambda: line2.tokens.issue_short_lived(CHANNEL_ID, "not-" + CHANNEL_SECRET),
        )
        run.expect_error(
            LineBrazeError, lambda: integ2.handle_webhook(b'{"events":[]}', "bm9wZQ==")
        )

        # forced transport errors: an answer lost on a one-attempt client, then a dead port
        one_shot = run.keep(
            fake_time(
                BrazeClient(API_KEY, rest_endpoint=braze_emu.url, retry=RetryPolicy.none()),
                sleep=_no_sleep,
            )
        )
        braze_emu.queue_fault("lost", path="/content_blocks/update")
        block_id = braze_emu.content_blocks[0].content_block_id
        run.expect_error(
            TransportError,
            lambda: one_shot.content_blocks.update(block_id, content=BLOCK_CONTENT + "-2"),
        )
        secrets.append(BLOCK_CONTENT + "-2")
        dead_url = line_emu.url
    dead = run.keep(
        fake_time(
            LineClient(LINE_TOKEN, base_url=dead_url, retry=RetryPolicy(attempts=2)),
            sleep=_no_sleep,
        )
    )
    run.expect_error(
        TransportError, lambda: dead.messages.push(follower_id(1), [TextMessage(text="x")])
    )
    for client in (line, braze, line2, wrong_line, wrong_braze, one_shot, dead):
        client.close()

    # the run did exercise logging and errors
    assert any(r.name.startswith("line_braze") for r in caplog.records)
    assert any("retrying" in r.getMessage() for r in caplog.records)
    assert len(run.errors) == 8  # users.track with a wrong key raises too

    haystack: list[tuple[str, str]] = []
    for value in run.results:
        haystack.extend(("result " + type(value).__name__, text) for text in _forms(value))
        if isinstance(value, list):
            for item in value:
                haystack.extend(("item " + type(item).__name__, text) for text in _forms(item))
    for exc in run.errors:
        haystack.extend(("error " + type(exc).__name__, text) for text in _exception_forms(exc))
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    for record in caplog.records:
        where = f"log {record.name}"
        haystack.append((where, record.getMessage()))
        haystack.append((where, repr(record.args)))
        haystack.append((where, formatter.format(record)))
    haystack.extend(("warning", str(warning.message)) for warning in caught)
    assert len(haystack) > 100

    leaks = [
        (where, secret[:8]) for where, text in haystack for secret in secrets if secret in text
    ]
    assert leaks == []


# -- credentials a server quotes back ------------------------------------------------------------

MASK = "********"
LINE_URL = "https://api.line.me"
BRAZE_URL = "https://rest.iad-01.braze.com"
PROFILE_PATH = f"/v2/bot/profile/{follower_id(1)}"


def _reachable(root: object) -> Iterator[object]:
    """Everything reachable from ``root``: attributes, containers, exception chains."""
    seen: set[int] = set()
    stack: list[object] = [root]
    while stack:
        item = stack.pop()
        if id(item) in seen or item is None:
            continue
        seen.add(id(item))
        yield item
        if isinstance(item, str | bytes | int | float | bool):
            continue
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
            continue
        if isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
            continue
        if isinstance(item, BaseException):
            stack.extend([item.__cause__, item.__context__, item.args])
        stack.extend(getattr(item, "__dict__", {}).values())
        stack.extend(getattr(item, slot, None) for slot in getattr(type(item), "__slots__", ()))


def _texts(root: object) -> list[str]:
    """Every display form of everything reachable from ``root``, and its strings."""
    texts: list[str] = []
    for item in _reachable(root):
        if isinstance(item, bytes):
            texts.append(item.decode("utf-8", "replace"))
        elif isinstance(item, str):
            texts.append(item)
        else:
            texts.extend(_forms(item))
    return texts


def _leaks(root: object, secrets: list[str]) -> list[str]:
    return [text[:80] for text in _texts(root) for secret in secrets if secret in text]


@responses.activate
def test_a_token_quoted_in_a_line_401_is_masked_in_everything_the_error_holds() -> None:
    responses.get(
        LINE_URL + PROFILE_PATH,
        status=401,
        json={
            "message": f"Authentication failed: Bearer {LINE_TOKEN} is not valid",
            "details": [{"message": f"unknown token {LINE_TOKEN}", "property": LINE_TOKEN}],
        },
        headers={"x-line-request-id": "req-1"},
    )
    line = LineClient(LINE_TOKEN, retry=RetryPolicy.none())
    with pytest.raises(AuthenticationError) as info:
        line.profiles.get(follower_id(1))
    err = info.value
    assert _leaks(err, [LINE_TOKEN]) == []
    assert MASK in err.message
    assert err.details == [{"message": f"unknown token {MASK}", "property": MASK}]
    assert err.request_id == "req-1"
    assert MASK in str(err)


@responses.activate
def test_a_key_quoted_in_a_braze_error_list_is_masked() -> None:
    responses.get(
        BRAZE_URL + "/content_blocks/info",
        status=400,
        json={
            "message": f"Invalid API key: {API_KEY}",
            "errors": [f"{API_KEY} is not allowed", {"type": "bad_key", "key": API_KEY}],
        },
    )
    braze = BrazeClient(API_KEY, rest_endpoint=BRAZE_URL, retry=RetryPolicy.none())
    with pytest.raises(APIError) as info:
        braze.content_blocks.get("block-id")
    err = info.value
    assert _leaks(err, [API_KEY]) == []
    assert err.errors == [f"{MASK} is not allowed", {"type": "bad_key", "key": MASK}]
    assert err.message == f"Invalid API key: {MASK}"


@responses.activate
def test_a_token_in_a_body_that_is_not_json_never_reaches_the_error() -> None:
    responses.get(
        LINE_URL + PROFILE_PATH, status=502, body=f"<html>bad gateway for {LINE_TOKEN}</html>"
    )
    line = LineClient(LINE_TOKEN, retry=RetryPolicy.none())
    with pytest.raises(LineBrazeError) as info:
        line.profiles.get(follower_id(1))
    assert _leaks(info.value, [LINE_TOKEN]) == []


@responses.activate
def test_a_verified_token_quoted_back_by_line_is_masked() -> None:
    responses.post(
        LINE_URL + "/v2/oauth/verify",
        status=400,
        json={"error": "invalid_request", "error_description": f"token {WRONG_TOKEN} expired"},
    )
    line = LineClient(LINE_TOKEN, retry=RetryPolicy.none())
    with pytest.raises(APIError) as info:
        line.tokens.verify(WRONG_TOKEN)
    assert _leaks(info.value, [WRONG_TOKEN, LINE_TOKEN]) == []
    assert MASK in info.value.message


@responses.activate
def test_a_credential_quoted_in_a_successful_answer_is_masked_in_the_result() -> None:
    responses.get(
        LINE_URL + PROFILE_PATH,
        json={"userId": follower_id(1), "displayName": f"me {LINE_TOKEN}", "language": "en"},
    )
    responses.post(
        BRAZE_URL + "/users/track",
        status=201,
        json={
            "message": "success",
            "attributes_processed": 1,
            "errors": [
                {"type": f"key {API_KEY} refused", "input_array": "attributes", "index": 0},
                {"type": f"notice about {API_KEY}"},
            ],
        },
    )
    line = LineClient(LINE_TOKEN, retry=RetryPolicy.none())
    profile = line.profiles.get(follower_id(1))
    assert profile.display_name == f"me {MASK}"
    braze = BrazeClient(API_KEY, rest_endpoint=BRAZE_URL, retry=RetryPolicy.none())
    result = braze.users.track(attributes=[{"external_id": "u1", "a": 1}])
    assert result.errors[0].reason == f"key {MASK} refused"
    assert _leaks(profile, [LINE_TOKEN]) == []
    assert _leaks(result, [API_KEY]) == []


# -- the exception chain ---------------------------------------------------------------------------


def _assert_clean_chain(err: BaseException, secrets: list[str]) -> None:
    for item in _reachable(err):
        assert not isinstance(item, requests.PreparedRequest | requests.Request), item
        assert not isinstance(item, requests.RequestException), item
    assert _leaks(err, secrets) == []
    copy = pickle.loads(pickle.dumps(err))  # noqa: S301 - our own bytes
    assert _leaks(copy, secrets) == []


def test_a_transport_error_holds_no_request_headers_or_url_with_a_token() -> None:
    emulator = LineEmulator().start()
    url = emulator.url
    emulator.stop()  # nothing listens any more: the connection is refused
    line = fake_time(
        LineClient(LINE_TOKEN, base_url=url, retry=RetryPolicy(attempts=2)), sleep=_no_sleep
    )
    with pytest.raises(TransportError) as refused:
        line.profiles.get(follower_id(1))
    _assert_clean_chain(refused.value, [LINE_TOKEN])
    with pytest.raises(TransportError) as verify:
        line.tokens.verify_v21(WRONG_TOKEN)
    _assert_clean_chain(verify.value, [LINE_TOKEN, WRONG_TOKEN])


@responses.activate
def test_every_transport_failure_leaves_a_clean_chain() -> None:
    failures: list[Exception] = [
        requests.ConnectTimeout("connect timed out"),
        requests.ReadTimeout("read timed out"),
        requests.ConnectionError("reset by peer"),
        requests.exceptions.ChunkedEncodingError("truncated"),
        requests.exceptions.InvalidHeader("bad header"),
    ]
    line = fake_time(LineClient(LINE_TOKEN, retry=RetryPolicy(attempts=2)), sleep=_no_sleep)
    for failure in failures:
        responses.reset()
        responses.get(LINE_URL + "/oauth2/v2.1/verify", body=failure)
        with pytest.raises(LineBrazeError) as info:
            line.tokens.verify_v21(WRONG_TOKEN)
        _assert_clean_chain(info.value, [LINE_TOKEN, WRONG_TOKEN])


@responses.activate
def test_an_unreadable_answer_holds_no_body_in_its_chain() -> None:
    responses.get(LINE_URL + PROFILE_PATH, body=f'{{"displayName": "{LINE_TOKEN}"', status=200)
    line = LineClient(LINE_TOKEN, retry=RetryPolicy.none())
    with pytest.raises(LineBrazeError) as info:
        line.profiles.get(follower_id(1))
    _assert_clean_chain(info.value, [LINE_TOKEN])


# -- DEBUG logs ------------------------------------------------------------------------------------


def test_no_debug_record_of_line_braze_requests_or_urllib3_shows_a_token(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with LineEmulator(access_token=LINE_TOKEN) as emu:
        with (
            caplog.at_level(logging.DEBUG, logger="line_braze"),
            caplog.at_level(logging.DEBUG, logger="requests"),
            caplog.at_level(logging.DEBUG, logger="urllib3"),
        ):
            line = LineClient(LINE_TOKEN, base_url=emu.url, retry=RetryPolicy.none())
            with pytest.raises(LineBrazeError):
                line.tokens.verify_v21(WRONG_TOKEN)  # the token travels in the query string
            wrong = LineClient(WRONG_TOKEN, base_url=emu.url, retry=RetryPolicy.none())
            with pytest.raises(AuthenticationError):
                wrong.profiles.get(follower_id(1))
            line.close()
            wrong.close()
        url = emu.url
    dead = fake_time(
        LineClient(LINE_TOKEN, base_url=url, retry=RetryPolicy(attempts=2)), sleep=_no_sleep
    )
    with caplog.at_level(logging.DEBUG, logger="urllib3"), pytest.raises(TransportError):
        dead.tokens.verify_v21(WRONG_TOKEN)
    names = {r.name for r in caplog.records}
    assert any(n.startswith("urllib3") for n in names)
    assert any("/oauth2/v2.1/verify" in r.getMessage() for r in caplog.records)
    formatter = logging.Formatter("%(name)s %(message)s")
    shown = [formatter.format(r) for r in caplog.records]
    assert [s for s in shown if LINE_TOKEN in s or WRONG_TOKEN in s] == []


def test_the_redacting_filter_the_docs_promise_is_installed() -> None:
    import line_braze  # noqa: F401 - importing installs it

    for name in ("line_braze", "urllib3.connectionpool", "urllib3.util.retry"):
        filters = logging.getLogger(name).filters
        assert any(type(f).__name__ == "RedactingFilter" for f in filters), name


@pytest.mark.parametrize(
    "line",
    [
        f'127.0.0.1:80 "GET /oauth2/v2.1/verify?access_token={LINE_TOKEN} HTTP/1.1" 200 2',
        f"Incremented Retry for (url='/oauth2/v2.1/verify?access_token={LINE_TOKEN}')",
        f"client_id=1&client_secret={CHANNEL_SECRET}&grant_type=client_credentials",
        f"grant_type=client_credentials&client_assertion={WRONG_TOKEN}",
        f"Authorization: Bearer {LINE_TOKEN}",
    ],
)
def test_a_urllib3_record_showing_a_credential_is_redacted(line: str) -> None:
    record = logging.LogRecord("urllib3.connectionpool", logging.DEBUG, "", 0, "%s", (line,), None)
    assert logging.getLogger("urllib3.connectionpool").filter(record)
    assert MASK in record.getMessage()
    assert not any(secret in record.getMessage() for secret in KNOWN)


_SECRET_TEXT = st.text(alphabet="abcdefXYZ0123456789-_./+=", min_size=8, max_size=40)
_JSON = st.recursive(
    st.none() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


@given(secret=_SECRET_TEXT, body=_JSON, where=st.integers(min_value=0, max_value=3))
def test_a_quoted_credential_never_survives_in_any_json_answer(
    secret: str, body: object, where: int
) -> None:
    # imported here, so that the rest of this file runs (and fails) on code without them
    from line_braze._secret import mask_in
    from line_braze._transport import _quoted

    quoted = [f"x{secret}y", {secret: secret}, [secret, body], {"message": f"bad {secret}"}][where]
    answer = {"data": body, "echo": quoted}
    content = json.dumps(answer, ensure_ascii=False).encode()
    assert _quoted(content, secret)
    masked = mask_in(answer, [secret])
    assert secret not in json.dumps(masked, ensure_ascii=False)
    assert masked["data"] == mask_in(body, [secret])
