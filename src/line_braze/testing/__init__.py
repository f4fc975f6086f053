"""Loopback emulators of the LINE Messaging API and the Braze REST API, for tests.

Both are real HTTP servers on 127.0.0.1 (a free port), served from a daemon thread, so any
HTTP client (line_braze's own, ``requests``, LINE's official SDK) can talk to them. They
enforce the documented rules with the vendors' own error shapes, keep their state for
inspection, and inject faults on demand (429, 5xx, answers lost after the effect, latency).

- `LineEmulator`: followers, push/multicast with retry keys, profile, validate, link tokens,
  channel access tokens; `LineEmulator.deliver_webhook` signs and sends webhooks.
- `BrazeEmulator`: ``/users/track`` and the identity endpoints, Content Blocks, sends,
  API keys and rate limits.
- `Faults`: fault rates, latency and the seed; change ``emulator.faults`` at run time or
  script one fault with ``emulator.queue_fault("lost", path=...)``.
- `serve_emulators` runs both until interrupted (``line-braze emulators``,
  ``python -m line_braze.testing``), printing `emulator_env` as ``export`` lines.
- `fake_time`: make a client's retries and rate limit wait on your recorder and clock.
- pytest fixtures ``line_emulator``, ``braze_emulator`` and their factories come with the
  package (see `line_braze.testing.pytest_plugin`).

Example:
    >>> from line_braze.testing import BrazeEmulator, LineEmulator
    >>> with LineEmulator(followers=2500) as line, BrazeEmulator() as braze:
    ...     line.url.startswith("http://127.0.0.1:"), braze.running
    (True, True)
"""

from line_braze.testing._braze_users import Profile
from line_braze.testing._serve import emulator_env, serve_emulators
from line_braze.testing._server import Emulator, RequestRecord
from line_braze.testing._time import fake_time
from line_braze.testing.braze_emulator import BrazeEmulator, ContentBlock, Dispatch
from line_braze.testing.faults import FaultKind, Faults
from line_braze.testing.line_emulator import LineEmulator, Push, TokenInfo, follower_id
from line_braze.testing.webhooks import (
    WebhookDelivery,
    account_link_event,
    follow_event,
    message_event,
    unfollow_event,
)

__all__ = [
    "BrazeEmulator",
    "ContentBlock",
    "Dispatch",
    "Emulator",
    "FaultKind",
    "Faults",
    "LineEmulator",
    "Profile",
    "Push",
    "RequestRecord",
    "TokenInfo",
    "WebhookDelivery",
    "account_link_event",
    "emulator_env",
    "fake_time",
    "follow_event",
    "follower_id",
    "message_event",
    "serve_emulators",
    "unfollow_event",
]
