"""Properties of Braze's filters and syntax in the preview: money, dates, nesting, names."""

from __future__ import annotations

import datetime as dt
import socket
import zoneinfo
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from line_braze.errors import ValidationError
from line_braze.preview import render_preview
from line_braze.templates import text_template

LINE_ID = "U" + "0" * 32
BLOCKS = {"LINE_Channel_AccessToken": "token-1234567890"}
ZONES = sorted(
    z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith(("posix", "right"))
)
TIMES = st.datetimes(
    min_value=dt.datetime(1971, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
    max_value=dt.datetime(2100, 1, 1),  # noqa: DTZ001
    timezones=st.just(dt.timezone.utc),
)


def text(liquid: str, **kw: Any) -> str:
    user = {"line_id": LINE_ID, **kw.pop("user", {})}
    preview = render_preview(text_template(liquid), user=user, content_blocks=BLOCKS, **kw)
    result = preview.json["messages"][0]["text"]
    assert isinstance(result, str)
    return result


@settings(max_examples=100, deadline=None)
@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False))
def test_money_has_two_decimals_and_delimited_thousands(amount: Decimal) -> None:
    assert text("x{{custom_attribute.${a} | money}}", user={"a": str(amount)}) == f"x{amount:,.2f}"


@settings(max_examples=100, deadline=None)
@given(when=TIMES)
def test_date_s_is_the_unix_time_of_any_braze_time(when: dt.datetime) -> None:
    when = when.replace(microsecond=0)
    for shown in (when.isoformat(), when.strftime("%Y-%m-%d %H:%M:%S UTC")):
        got = text("{{custom_attribute.${t} | date: '%s'}}", user={"t": shown})
        assert got == str(int(when.timestamp()))


@settings(max_examples=100, deadline=None)
@given(when=TIMES, zone=st.sampled_from(ZONES))
def test_time_zone_shows_the_same_instant_in_any_iana_zone(when: dt.datetime, zone: str) -> None:
    got = text(
        "{{ 'now' | time_zone: ${time_zone} | date: '%Y-%m-%d %H:%M %z' }}",
        user={"time_zone": zone},
        now=when,
    )
    assert got == when.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %z")


@settings(max_examples=100, deadline=None)
@given(a=st.integers(-(10**6), 10**6), b=st.integers(-(10**6), 10**6))
def test_an_output_nested_in_a_filter_argument_is_its_value(a: int, b: int) -> None:
    liquid = "{% assign b = {{custom_attribute.${b}}} %}={{custom_attribute.${a} | plus: {{b}}}}"
    assert text(liquid, user={"a": a, "b": b}) == f"={a + b}"


@settings(max_examples=100, deadline=None)
@given(name=st.from_regex(r"[a-z_][a-z0-9_]{0,20}", fullmatch=True))
def test_any_filter_name_renders_or_is_named_in_a_validation_error(name: str) -> None:
    try:
        text(f"x{{{{ 'abc' | {name} }}}}")
    except ValidationError as err:
        field, message = err.field, str(err)
    else:
        return
    # Refused as a Liquid error in the body, or the rendered text is one LINE refuses.
    assert field == "body" or field.startswith("messages[0]"), message
    if field == "body" and "filter" in message:
        assert repr(name) in message


@settings(max_examples=50, deadline=None)
@given(
    path=st.from_regex(r"[a-z0-9]{1,12}", fullmatch=True),
    answer=st.dictionaries(
        st.from_regex(r"[a-z]{1,8}", fullmatch=True), st.text(min_size=1, max_size=20), max_size=4
    ),
)
def test_connected_content_saves_the_answer_given_for_its_url(
    path: str, answer: dict[str, str]
) -> None:
    url = f"https://api.example.com/{path}"
    got = text(
        f"{{% connected_content {url} :save r %}}x{{{{r | as_json_string}}}}",
        connected_content={url: answer},
    )
    assert got == "x" + _json({**answer, "__http_status_code__": 200})


def _json(data: object) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def test_the_preview_never_opens_a_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the preview tried the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    url = "https://api.example.com/users/" + LINE_ID
    liquid = (
        "{% connected_content https://api.example.com/users/{{custom_attribute.${line_id}}} "
        ":save u %}Hi {{u.nickname}}"
    )
    assert text(liquid, connected_content={url: {"nickname": "Annie"}}) == "Hi Annie"
    with pytest.raises(ValidationError, match="no answer given"):
        text(liquid)
