"""The emulators under line_braze's own clients."""

from __future__ import annotations

import pytest

from line_braze.testing import LineEmulator, follower_id

pytestmark = pytest.mark.integration


def test_line_client_streams_every_follower(line_emulator_factory: object) -> None:
    from line_braze.line.client import LineClient

    make = line_emulator_factory
    assert callable(make)
    line: LineEmulator = make(followers=2500)
    with LineClient(line.access_token, base_url=line.url) as client:
        ids = list(client.followers.iter_ids())
    assert len(ids) == 2500
    assert ids[0] == follower_id(0)
    assert len(set(ids)) == 2500
    assert [r.query.get("limit") for r in line.request_log] == ["1000"] * 3
