"""Every error of `line_braze.errors` crosses a process boundary intact.

A process pool pickles what a worker raises; a retry framework deep-copies it. Each class in
``line_braze.errors.__all__`` (classes added later included) must come back with its type,
message and every field, ``resume_from`` included.
"""

from __future__ import annotations

import copy
import inspect
import pickle
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest

from line_braze import errors
from line_braze.errors import BadRequest, LineBrazeError, PartialFailure, ValidationError

pytestmark = pytest.mark.reliability

SAMPLES: dict[str, Any] = {
    "service": "braze",
    "method": "POST",
    "path": "/users/track",
    "status": 503,
    "message": "service unavailable",
    "reason": "connection failed",
    "field": "messages[0].text",
    "resume_from": "resume-token-42",
    "report": {"written": 150},
    "attempts": 3,
    "details": [{"message": "May not be empty", "property": "messages[0].text"}],
    "errors": ["bad", {"type": "x"}],
    "request_id": "req-9",
    "hint": "try later",
    "retry_after": 7.5,
    "accepted_request_id": "acc-1",
}

CLASSES = [
    obj
    for name in errors.__all__
    if isinstance(obj := getattr(errors, name), type) and issubclass(obj, BaseException)
]


def _build(cls: type[BaseException]) -> BaseException:
    """An instance of ``cls`` with every parameter its constructor takes set to a sample."""
    kwargs: dict[str, Any] = {}
    args: list[Any] = []
    try:
        params = list(inspect.signature(cls).parameters.values())
    except ValueError:  # no __init__ of its own: Exception's (*args)
        params = []
    for param in params:
        if param.kind in {param.VAR_POSITIONAL, param.VAR_KEYWORD}:
            continue
        value = SAMPLES.get(param.name, f"sample {param.name}")
        if param.kind is param.KEYWORD_ONLY:
            kwargs[param.name] = value
        else:
            args.append(value)
    if not args and not kwargs:
        args = ["a message"]
    return cls(*args, **kwargs)


def _state(err: BaseException) -> tuple[type[BaseException], str, tuple[Any, ...], dict[str, Any]]:
    return type(err), str(err), err.args, dict(vars(err))


def test_the_catalogue_covers_every_class() -> None:
    assert PartialFailure in CLASSES
    assert len(CLASSES) >= 19


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
@pytest.mark.parametrize(
    "roundtrip",
    [
        lambda e: pickle.loads(pickle.dumps(e)),  # noqa: S301 - our own bytes
        lambda e: pickle.loads(pickle.dumps(e, protocol=2)),  # noqa: S301
        copy.deepcopy,
        copy.copy,
    ],
    ids=["pickle", "pickle-2", "deepcopy", "copy"],
)
def test_every_error_survives_pickle_and_copy(
    cls: type[BaseException], roundtrip: Callable[[BaseException], BaseException]
) -> None:
    err = _build(cls)
    if isinstance(err, LineBrazeError):
        err.retry_key = "key-1"
    vars(err)["__notes__"] = ["a note"]  # add_note, on every supported Python
    back = roundtrip(err)
    assert _state(back) == _state(err)
    assert vars(back)["__notes__"] == ["a note"]


def test_resume_from_and_report_survive() -> None:
    err = PartialFailure("sync stopped at 150", resume_from="tok-7", report={"written": 150})
    back = pickle.loads(pickle.dumps(err))  # noqa: S301
    assert back.resume_from == "tok-7"
    assert back.report == {"written": 150}
    assert str(back) == "sync stopped at 150"


def test_a_prefixed_validation_error_keeps_field_and_reason() -> None:
    err = ValidationError("text", "empty").prefixed("messages[0]")
    back = copy.deepcopy(err)
    assert (back.field, back.reason, str(back)) == ("messages[0].text", "empty", str(err))


def _raise_in_worker() -> None:
    raise BadRequest(
        "line", "POST", "/v2/bot/message/push", 400, "May not be empty", request_id="r-1"
    )


def test_an_error_raised_in_a_process_pool_arrives_whole() -> None:
    with ProcessPoolExecutor(max_workers=1) as pool:
        future = pool.submit(_raise_in_worker)
        with pytest.raises(BadRequest) as info:
            future.result(timeout=60)
    assert info.value.status == 400
    assert info.value.request_id == "r-1"
    assert info.value.path == "/v2/bot/message/push"
