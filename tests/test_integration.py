"""The Integration facade end to end: real HTTP to the LINE and Braze emulators."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from line_braze import (
    BrazeClient,
    Integration,
    IntegrationConfig,
    LineClient,
    RetryPolicy,
    SyncReport,
)
from line_braze.demo import demo_carousel_template
from line_braze.errors import PartialFailure, SignatureError, ValidationError
from line_braze.integration import SyncProgress
from line_braze.line import TextMessage
from line_braze.templates import sticker_template, text_template
from line_braze.testing import BrazeEmulator, LineEmulator, fake_time, follower_id
from line_braze.testing.webhooks import account_link_event, follow_event, unfollow_event

pytestmark = pytest.mark.integration

NO_WAIT = RetryPolicy(attempts=4)


def _no_sleep(_seconds: float) -> None:
    return None


@pytest.fixture
def world(
    line_emulator_factory: Callable[..., LineEmulator],
    braze_emulator_factory: Callable[..., BrazeEmulator],
) -> Iterator[Callable[..., tuple[Integration, LineEmulator, BrazeEmulator]]]:
    """Make an Integration over fresh emulators; clients close at the end."""
    made: list[Integration] = []

    def make(
        followers: int = 0,
        braze_retry: RetryPolicy = NO_WAIT,
        max_concurrency: int = 16,
        **config: Any,
    ) -> tuple[Integration, LineEmulator, BrazeEmulator]:
        line_emu = line_emulator_factory(followers=followers)
        braze_emu = braze_emulator_factory()
        line = fake_time(
            LineClient(line_emu.access_token, base_url=line_emu.url, retry=NO_WAIT), sleep=_no_sleep
        )
        braze = fake_time(
            BrazeClient(
                braze_emu.api_key,
                rest_endpoint=braze_emu.url,
                retry=braze_retry,
                max_concurrency=max_concurrency,
            ),
            sleep=_no_sleep,
        )
        integ = Integration(
            line=line,
            braze=braze,
            channel_secret=line_emu.channel_secret,
            config=IntegrationConfig(**config),
        )
        made.append(integ)
        return integ, line_emu, braze_emu

    yield make
    for integ in made:
        integ.line.close()
        integ.braze.close()


# -- steps 1-2 -------------------------------------------------------------------------------


def test_sync_writes_every_follower_as_an_alias_profile_with_line_id(world: Any) -> None:
    integ, _line_emu, braze_emu = world(followers=2345)
    seen: list[SyncProgress] = []

    report = integ.sync_followers(progress=seen.append)

    assert report.complete
    assert report.resume_token is None
    assert (report.followers_read, report.profiles_written, report.pages) == (2345, 2345, 3)
    assert report.requests == math.ceil(2345 / 75)
    assert report.refused == ()
    assert braze_emu.profile_count == 2345
    for index in (0, 999, 1000, 2344):
        line_id = follower_id(index)
        profile = braze_emu.profile(alias=("line_id", line_id))
        assert profile is not None
        assert profile.external_id is None
        assert profile.attributes["line_id"] == line_id
    # progress comes once per page fully written, never goes backwards, ends at the end
    assert [p.pages for p in seen] == sorted(p.pages for p in seen)
    assert seen[-1].profiles_written == 2345
    assert seen[-1].resume_token is None


def test_sync_names_are_configurable_and_native_line_id_optional(world: Any) -> None:
    integ, _, braze_emu = world(
        followers=80, attribute="lineUserId", alias_label="line_user", native_line_id=True
    )
    integ.sync_followers()
    profile = braze_emu.profile(alias=("line_user", follower_id(79)))
    assert profile is not None
    assert profile.attributes["lineUserId"] == follower_id(79)
    assert profile.attributes["native_line_id"] == follower_id(79)


def test_sync_twice_is_idempotent(world: Any) -> None:
    integ, _, braze_emu = world(followers=300)
    integ.sync_followers()
    integ.sync_followers()
    assert braze_emu.profile_count == 300


def test_a_failed_braze_batch_stops_with_a_resume_token_that_loses_nothing(world: Any) -> None:
    # One batch at a time: the fault is queued before the next batch leaves. With 16 in
    # flight (32 batches ahead), the rest of the 40 could all be sent before the progress
    # callback ran, and nothing failed (seen under load).
    integ, _line_emu, braze_emu = world(
        followers=3000, braze_retry=RetryPolicy(attempts=1), max_concurrency=1
    )
    # Let page 1 (1000 followers = 14 requests) through, then fail every track request.
    first_page_requests = math.ceil(1000 / 75)
    done = {"n": 0}

    def progress(p: SyncProgress) -> None:
        done["n"] += 1
        if done["n"] == 1:
            braze_emu.queue_fault("server_error", path="/users/track", count=1000)

    braze_emu_requests_before = braze_emu.stats["track_requests"]
    with pytest.raises(PartialFailure) as caught:
        integ.sync_followers(progress=progress)
    err = caught.value
    assert braze_emu.stats["track_requests"] - braze_emu_requests_before >= first_page_requests
    report = err.report
    assert isinstance(report, SyncReport)
    assert not report.complete
    assert err.resume_from is not None
    assert err.resume_from == report.resume_token
    # Everything before the resume token is in Braze.
    written_before = braze_emu.profile_count
    assert written_before >= 1000
    assert "resume with start=" in str(err)

    braze_emu.clear_faults()
    again = integ.sync_followers(start=err.resume_from)
    assert again.complete
    assert braze_emu.profile_count == 3000
    # The resumed run re-reads from the first page not fully written, never before it.
    assert again.followers_read <= 3000 - 1000


def test_a_failed_line_page_stops_with_the_last_good_token(world: Any) -> None:
    integ, line_emu, braze_emu = world(followers=2500)
    line_emu.queue_fault("server_error", path="/v2/bot/followers/ids", count=100)
    with pytest.raises(PartialFailure) as caught:
        integ.sync_followers()
    assert caught.value.resume_from is None  # nothing was read: start again from the top
    assert braze_emu.profile_count == 0

    line_emu.clear_faults()
    report = integ.sync_followers(start=caught.value.resume_from)
    assert report.complete
    assert braze_emu.profile_count == 2500


def test_link_merges_the_alias_profile_into_the_known_user(world: Any) -> None:
    integ, _, braze_emu = world(followers=5)
    integ.sync_followers()
    line_id = follower_id(3)
    integ.link(line_id, "customer-42")
    profile = braze_emu.profile(external_id="customer-42")
    assert profile is not None
    assert profile.alias("line_id") == line_id
    assert profile.attributes["line_id"] == line_id


def test_link_refuses_bad_ids_before_sending(world: Any) -> None:
    integ, _, braze_emu = world()
    before = braze_emu.request_count
    with pytest.raises(ValidationError, match="line_id"):
        integ.link("not-a-line-id", "customer-42")
    with pytest.raises(ValidationError, match="external_id"):
        integ.link(follower_id(1), "")
    assert braze_emu.request_count == before


# -- step 3 ----------------------------------------------------------------------------------


def test_install_twice_leaves_one_block_holding_the_token(world: Any) -> None:
    integ, line_emu, braze_emu = world()
    first = integ.install_access_token()
    second = integ.install_access_token()
    blocks = [b for b in braze_emu.content_blocks if b.name == "LINE_Channel_AccessToken"]
    assert len(blocks) == 1
    assert first.content_block_id == second.content_block_id == blocks[0].content_block_id
    assert blocks[0].content == line_emu.access_token
    assert line_emu.access_token not in repr(second)
    assert line_emu.access_token not in second._repr_html_()


def test_install_an_explicit_token_under_a_configured_name(world: Any) -> None:
    integ, _, braze_emu = world(token_block="Line_Token_Staging")
    before = braze_emu.request_count
    with pytest.raises(ValidationError, match="whitespace"):
        integ.install_access_token("another-token\n")
    assert braze_emu.request_count == before
    integ.install_access_token("another-token")
    block = braze_emu.content_block("Line_Token_Staging")
    assert block is not None
    assert block.content == "another-token"


def test_rotate_stores_and_verifies_the_new_token_then_revokes_the_old(world: Any) -> None:
    integ, line_emu, braze_emu = world()
    old = line_emu.access_token
    integ.install_access_token()

    result = integ.rotate_access_token(
        channel_id=line_emu.channel_id, channel_secret=line_emu.channel_secret
    )

    new = result.new_token.reveal()
    assert new != old
    block = braze_emu.content_block("LINE_Channel_AccessToken")
    assert block is not None
    assert block.content == new
    assert result.verified
    assert result.revoked_old
    assert line_emu.token_is_valid(new)
    assert not line_emu.token_is_valid(old)
    assert new not in repr(result)
    assert len([b for b in braze_emu.content_blocks if b.name == block.name]) == 1
    # the integration's own client moved to the new token and still works
    assert integ.line._transport.secret == new
    integ.send_test(sticker_template("446", "1988"), line_id=follower_id(0))
    assert len(line_emu.pushes) == 1


def test_rotate_can_keep_the_old_token(world: Any) -> None:
    integ, line_emu, _ = world()
    integ.install_access_token()
    result = integ.rotate_access_token(
        channel_id=line_emu.channel_id, channel_secret=line_emu.channel_secret, revoke_old=False
    )
    assert not result.revoked_old
    assert line_emu.token_is_valid(line_emu.access_token)


# -- steps 4-5 -------------------------------------------------------------------------------


def test_template_preview_and_test_send_reach_the_user_once(world: Any) -> None:
    integ, line_emu, _braze_emu = world(followers=3)
    integ.install_access_token()
    line_id = follower_id(1)
    tpl = integ.webhook_template([TextMessage(text="Hi {{${first_name} | default: 'there'}}")])
    assert tpl.url == "https://api.line.me/v2/bot/message/push"
    assert tpl.method == "POST"
    assert '"to":"{{custom_attribute.${line_id}}}"' in tpl.body  # printed once checked

    name = 'Ann "A\\B"\nC'
    preview = integ.preview(tpl, user={"line_id": line_id, "first_name": name})
    body = json.loads(preview.body)
    assert body["to"] == line_id
    assert body["messages"] == [{"type": "text", "text": f"Hi {name}"}]
    assert preview.headers["Authorization"] == f"Bearer {line_emu.access_token}"
    assert line_emu.access_token not in repr(preview)

    integ.send_test(tpl, line_id=line_id, user={"first_name": "Ann"})
    pushes = line_emu.pushes_to(line_id)
    assert len(pushes) == 1
    assert pushes[0].messages == ({"type": "text", "text": "Hi Ann"},)
    assert pushes[0].retry_key is not None


@pytest.mark.parametrize("line_id", ["", "  ", None, 'U1", "x', "U1\\", "U1\nU2"])
def test_preview_drops_a_user_without_a_usable_line_id(world: Any, line_id: Any) -> None:
    integ, _, _ = world()
    integ.install_access_token()
    user = {} if line_id is None else {"line_id": line_id}
    preview = integ.preview(sticker_template("446", "1988"), user=user)
    assert preview.aborted
    blank = line_id is None or not line_id.strip()
    assert preview.abort_reason == (
        "no line_id: not a LINE follower" if blank else "line_id is not a LINE user ID"
    )


def test_preview_needs_the_token_block_or_given_blocks(world: Any) -> None:
    integ, _, _ = world()
    tpl = demo_carousel_template()
    with pytest.raises(ValidationError, match="install_access_token"):
        integ.preview(tpl, user={"line_id": follower_id(0)})
    given = integ.preview(
        tpl,
        user={"line_id": follower_id(0)},
        content_blocks={"LINE_Channel_AccessToken": "tok"},
    )
    assert given.headers["Authorization"] == "Bearer tok"


def test_send_test_through_braze_uses_messages_send(world: Any) -> None:
    integ, _, braze_emu = world()
    tpl = text_template("Hello")
    integ.send_test(tpl, via="braze", external_id="customer-1")
    integ.send_test(tpl, line_id=follower_id(0), via="braze")
    first, second = braze_emu.dispatches
    assert "customer-1" in json.dumps(first.body)
    assert follower_id(0) in json.dumps(second.body)
    with pytest.raises(ValidationError, match="external_id"):
        integ.send_test(tpl, via="braze", external_id="")


# -- webhooks --------------------------------------------------------------------------------


def test_follow_and_unfollow_webhooks_keep_braze_in_step(world: Any) -> None:
    integ, line_emu, braze_emu = world()
    a, b = follower_id(10), follower_id(11)
    line_emu.deliver_webhook(integ.handle_webhook, [follow_event(b, timestamp_ms=1)])
    delivery = line_emu.deliver_webhook(
        integ.handle_webhook,
        [
            follow_event(a, timestamp_ms=2),
            follow_event(b, timestamp_ms=2),
            unfollow_event(b, timestamp_ms=3),
        ],
    )
    report = delivery.result
    assert [(w.event_type, w.line_id, w.action) for w in report.writes] == [
        ("follow", a, "upserted"),
        ("follow", b, "stale"),  # superseded by the later unfollow in the same body
        ("unfollow", b, "unset"),
    ]
    assert report.stale == 1
    pa = braze_emu.profile(alias=("line_id", a))
    pb = braze_emu.profile(alias=("line_id", b))
    assert pa is not None
    assert pa.attributes["line_id"] == a
    assert pb is not None
    assert pb.attributes.get("line_id") is None
    assert str(pb.attributes["line_unfollowed_at"]).endswith("Z")


def test_a_redelivered_event_is_written_once(world: Any) -> None:
    integ, line_emu, braze_emu = world()
    event = follow_event(follower_id(5), event_id="01HXYZREDELIVERY000000000A")
    line_emu.deliver_webhook(integ.handle_webhook, [event])
    requests_after_first = braze_emu.request_count
    again = line_emu.deliver_webhook(integ.handle_webhook, [dict(event)]).result
    assert again.duplicates == 1
    assert again.writes == ()
    assert braze_emu.request_count == requests_after_first


def test_a_forged_webhook_writes_nothing(world: Any) -> None:
    integ, line_emu, braze_emu = world()
    body = b'{"destination":"U0","events":[]}'
    before = braze_emu.request_count
    with pytest.raises(SignatureError):
        integ.handle_webhook(body, "AAAA" + line_emu.sign(body)[4:])
    with pytest.raises(SignatureError):
        integ.handle_webhook(body, None)
    assert braze_emu.request_count == before


def test_unfollow_of_a_stranger_creates_no_profile(world: Any) -> None:
    integ, line_emu, braze_emu = world()
    line_emu.deliver_webhook(integ.handle_webhook, [unfollow_event(follower_id(99))])
    assert braze_emu.profile_count == 0


def test_account_link_identifies_the_alias_with_the_resolved_user(world: Any) -> None:
    integ, line_emu, braze_emu = world()
    integ.resolve_nonce = {"nonce-123": "customer-7"}.get
    line_id = follower_id(20)
    line_emu.deliver_webhook(integ.handle_webhook, [follow_event(line_id)])
    report = line_emu.deliver_webhook(
        integ.handle_webhook,
        [account_link_event(line_id, "nonce-123"), account_link_event(line_id, "unknown")],
    ).result
    assert [w.action for w in report.writes] == ["identified", "skipped"]
    profile = braze_emu.profile(external_id="customer-7")
    assert profile is not None
    assert profile.alias("line_id") == line_id


def test_handle_webhook_needs_the_channel_secret(world: Any) -> None:
    integ, _, _ = world()
    bare = Integration(line=integ.line, braze=integ.braze)
    with pytest.raises(ValidationError, match="channel secret"):
        bare.handle_webhook(b"{}", "sig")


def test_no_credential_in_the_integration_repr(world: Any) -> None:
    integ, line_emu, braze_emu = world()
    text = repr(integ)
    assert line_emu.access_token not in text
    assert braze_emu.api_key not in text
    assert line_emu.channel_secret not in text


def test_follow_can_record_display_name_and_language(world: Any) -> None:
    integ, line_emu, braze_emu = world(profile_on_follow=True)
    line_id = follower_id(30)
    line_emu.follow(line_id)
    line_emu.set_profile(line_id, displayName="Ann", language="ja")
    line_emu.deliver_webhook(integ.handle_webhook, [follow_event(line_id)])
    profile = braze_emu.profile(alias=("line_id", line_id))
    assert profile is not None
    assert profile.attributes["line_display_name"] == "Ann"
    assert profile.attributes["language"] == "ja"
