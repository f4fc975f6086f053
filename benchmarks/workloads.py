"""What each benchmark process does; `run.py` starts one fresh process per measurement.

Run with the benchmark environment's Python (``.venv-bench``), never imported by run.py:

    python benchmarks/workloads.py serve line FOLLOWERS LATENCY_MS
    python benchmarks/workloads.py serve braze LATENCY_MS
    python benchmarks/workloads.py sync-line-braze LINE_URL BRAZE_URL [--concurrency C]
    python benchmarks/workloads.py sync-peer LINE_URL BRAZE_URL
    python benchmarks/workloads.py sync-pure LINE_URL BRAZE_URL [--concurrency C]
    python benchmarks/workloads.py push-line-braze LINE_URL COUNT
    python benchmarks/workloads.py push-peer LINE_URL COUNT
    python benchmarks/workloads.py webhook-line-braze BRAZE_URL BODIES
    python benchmarks/workloads.py webhook-peer BRAZE_URL BODIES

Clients print one JSON line of what they did (and their peak RSS) on stdout; the caller
times the whole process. Servers print their URL as one JSON line, then answer ``stats``
and ``quit`` commands read from stdin, so the emulator runs on its own core and its CPU is
never counted against the client.
"""

from __future__ import annotations

import json
import resource
import sys
import time

LINE_TOKEN = "line-emulator-channel-access-token"  # noqa: S105 - the emulator's test value
BRAZE_KEY = "braze-emulator-rest-api-key"
ALIAS_LABEL = "line_id"
PAGE = 1000
BATCH = 75


def _maxrss_kb() -> int:
    # Linux reports kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _emit(result: dict) -> None:
    result["maxrss_kb"] = _maxrss_kb()
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()


# -- servers ------------------------------------------------------------------------------


def serve(argv: list[str]) -> None:
    from line_braze.testing import BrazeEmulator, Faults, LineEmulator

    kind = argv[0]
    if kind == "line":
        followers, latency = int(argv[1]), float(argv[2])
        # max_log is a deque of request records; keep it small, it is not measured.
        emu = LineEmulator(
            followers=followers,
            faults=Faults(latency_ms=latency),
            access_token=LINE_TOKEN,
            max_log=1000,
        )
    else:
        latency = float(argv[1])
        emu = BrazeEmulator(
            api_key=BRAZE_KEY,
            faults=Faults(latency_ms=latency),
            store_profiles=False,
            max_log=1000,
        )
    with emu:
        _emit({"url": emu.url})
        for line in sys.stdin:
            command = line.strip()
            if command == "stats":
                stats = dict(getattr(emu, "stats", {}))
                stats["requests"] = emu.request_count
                stats["connections"] = emu.connection_count
                _emit(stats)
            elif command == "quit":
                break


# -- follower sync ------------------------------------------------------------------------


def sync_line_braze(argv: list[str]) -> None:
    line_url, braze_url = argv[0], argv[1]
    concurrency = 16
    if "--concurrency" in argv:
        concurrency = int(argv[argv.index("--concurrency") + 1])
    from line_braze import BrazeClient, Integration, LineClient

    line = LineClient(LINE_TOKEN, base_url=line_url)
    braze = BrazeClient(
        BRAZE_KEY,
        rest_endpoint=braze_url,
        max_concurrency=concurrency,
        pool_size=max(32, concurrency),
    )
    report = Integration(line=line, braze=braze).sync_followers()
    _emit(
        {
            "followers_read": report.followers_read,
            "profiles_written": report.profiles_written,
            "requests": report.requests,
            "pages": report.pages,
            "complete": report.complete,
            "elapsed": report.elapsed,
            "rate_limit_waited": braze._limiter.waited,  # noqa: SLF001
        }
    )


def sync_peer(argv: list[str]) -> None:
    """The official LINE SDK pages followers; requests posts /users/track 75 at a time."""
    line_url, braze_url = argv[0], argv[1]
    t0 = time.perf_counter()
    import requests
    from linebot.v3.messaging import ApiClient, Configuration, MessagingApi

    config = Configuration(host=line_url, access_token=LINE_TOKEN)
    read = written = posts = pages = 0
    with ApiClient(config) as api_client, requests.Session() as session:
        api = MessagingApi(api_client)
        headers = {"Authorization": "Bearer " + BRAZE_KEY}
        start = None
        while True:
            page = api.get_followers(start=start, limit=PAGE)
            pages += 1
            ids = page.user_ids
            read += len(ids)
            for i in range(0, len(ids), BATCH):
                attributes = [
                    {
                        "user_alias": {"alias_name": uid, "alias_label": ALIAS_LABEL},
                        "_update_existing_only": False,
                        "line_id": uid,
                    }
                    for uid in ids[i : i + BATCH]
                ]
                answer = session.post(
                    braze_url + "/users/track",
                    json={"attributes": attributes},
                    headers=headers,
                    timeout=30,
                )
                answer.raise_for_status()
                written += answer.json()["attributes_processed"]
                posts += 1
            if not page.next:
                break
            start = page.next
    _emit(
        {
            "followers_read": read,
            "profiles_written": written,
            "requests": posts,
            "pages": pages,
            "complete": True,
            "elapsed": time.perf_counter() - t0,
        }
    )


def sync_pure(argv: list[str]) -> None:
    """A hand-written floor: stdlib http.client, pages read ahead, C sender threads.

    It imports requests, attrs and cattrs (the dependencies) so it pays what the floor
    charges, then does the same HTTP work with as little Python as possible.
    """
    import http.client
    import queue
    import threading
    import urllib.parse

    import attrs  # noqa: F401
    import cattrs  # noqa: F401
    import requests  # noqa: F401

    line_url, braze_url = argv[0], argv[1]
    concurrency = 8
    if "--concurrency" in argv:
        concurrency = int(argv[argv.index("--concurrency") + 1])
    t0 = time.perf_counter()
    line_host = urllib.parse.urlsplit(line_url).netloc
    braze_host = urllib.parse.urlsplit(braze_url).netloc
    bodies: queue.Queue[bytes | None] = queue.Queue(maxsize=2 * concurrency)
    written = [0]
    lock = threading.Lock()
    braze_headers = {"Authorization": "Bearer " + BRAZE_KEY, "Content-Type": "application/json"}

    def sender() -> None:
        conn = http.client.HTTPConnection(braze_host, timeout=30)
        while (body := bodies.get()) is not None:
            conn.request("POST", "/users/track", body=body, headers=braze_headers)
            answer = conn.getresponse()
            data = answer.read()
            assert answer.status < 300, data
            with lock:
                written[0] += json.loads(data)["attributes_processed"]

    threads = [threading.Thread(target=sender) for _ in range(concurrency)]
    for t in threads:
        t.start()
    conn = http.client.HTTPConnection(line_host, timeout=30)
    line_headers = {"Authorization": "Bearer " + LINE_TOKEN}
    start = None
    read = pages = posts = 0
    while True:
        query = f"?limit={PAGE}" + (f"&start={urllib.parse.quote(start)}" if start else "")
        conn.request("GET", "/v2/bot/followers/ids" + query, headers=line_headers)
        page = json.loads(conn.getresponse().read())
        pages += 1
        ids = page["userIds"]
        read += len(ids)
        for i in range(0, len(ids), BATCH):
            objs = ",".join(
                '{"user_alias":{"alias_name":"%s","alias_label":"%s"},'  # noqa: UP031
                '"_update_existing_only":false,"line_id":"%s"}' % (uid, ALIAS_LABEL, uid)
                for uid in ids[i : i + BATCH]
            )
            bodies.put(('{"attributes":[' + objs + "]}").encode())
            posts += 1
        start = page.get("next")
        if not start:
            break
    for _ in threads:
        bodies.put(None)
    for t in threads:
        t.join()
    _emit(
        {
            "followers_read": read,
            "profiles_written": written[0],
            "requests": posts,
            "pages": pages,
            "complete": True,
            "elapsed": time.perf_counter() - t0,
        }
    )


# -- pushes -------------------------------------------------------------------------------

WARMUP_PUSHES = 20


def push_line_braze(argv: list[str]) -> None:
    from line_braze import LineClient
    from line_braze.line import TextMessage
    from line_braze.testing import follower_id

    line_url, count = argv[0], int(argv[1])
    line = LineClient(LINE_TOKEN, base_url=line_url)
    to = follower_id(0)

    def push() -> None:
        line.messages.push(to, [TextMessage(text="Hello from the benchmark")])

    _push_loop(push, count)


def push_peer(argv: list[str]) -> None:
    from linebot.v3.messaging import (
        ApiClient,
        Configuration,
        MessagingApi,
        PushMessageRequest,
        TextMessage,
    )

    from line_braze.testing import follower_id

    line_url, count = argv[0], int(argv[1])
    api = MessagingApi(ApiClient(Configuration(host=line_url, access_token=LINE_TOKEN)))
    to = follower_id(0)

    def push() -> None:
        api.push_message(
            PushMessageRequest(to=to, messages=[TextMessage(text="Hello from the benchmark")])
        )

    _push_loop(push, count)


def _push_loop(push, count: int) -> None:
    for _ in range(WARMUP_PUSHES):
        push()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for _ in range(count):
        push()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    _emit(
        {
            "pushes": count,
            "cpu_per_push_ms": 1000 * cpu / count,
            "wall_per_push_ms": 1000 * wall / count,
        }
    )


# -- webhooks ------------------------------------------------------------------------------

CHANNEL_SECRET = "benchmark-channel-secret"  # noqa: S105 - a test value
EVENTS_PER_BODY = 5
WARMUP_BODIES = 20


def _webhook_bodies(count: int) -> list[tuple[bytes, str, list[str]]]:
    """``count`` signed bodies of follow events, each user new: (body, signature, user IDs)."""
    from line_braze.testing import follower_id
    from line_braze.testing.webhooks import follow_event, sign_body, webhook_body

    bodies = []
    destination = "U" + "0" * 32
    for b in range(count):
        users = [follower_id(b * EVENTS_PER_BODY + i) for i in range(EVENTS_PER_BODY)]
        body = webhook_body([follow_event(u) for u in users], destination=destination)
        bodies.append((body, sign_body(body, CHANNEL_SECRET), users))
    return bodies


def webhook_line_braze(argv: list[str]) -> None:
    """``Integration.handle_webhook`` per body: verify, parse, dedupe, one Braze write."""
    from line_braze import BrazeClient, Integration, LineClient

    braze_url, count = argv[0], int(argv[1])
    bodies = _webhook_bodies(WARMUP_BODIES + count)
    integ = Integration(
        line=LineClient(LINE_TOKEN, base_url="http://127.0.0.1:9"),  # never called here
        braze=BrazeClient(BRAZE_KEY, rest_endpoint=braze_url),
        channel_secret=CHANNEL_SECRET,
    )
    written = 0

    def handle(body: bytes, signature: str, _users: list[str]) -> None:
        nonlocal written
        written += len(integ.handle_webhook(body, signature).written)

    _webhook_loop(handle, bodies, count)
    if written != (WARMUP_BODIES + count) * EVENTS_PER_BODY:
        sys.exit(f"line_braze wrote {written} follows")


def webhook_peer(argv: list[str]) -> None:
    """The official SDK's `WebhookParser` per body, then one plain ``/users/track`` post."""
    import requests
    from linebot.v3 import WebhookParser
    from linebot.v3.webhooks import FollowEvent

    braze_url, count = argv[0], int(argv[1])
    bodies = _webhook_bodies(WARMUP_BODIES + count)
    parser = WebhookParser(CHANNEL_SECRET)
    session = requests.Session()
    headers = {"Authorization": "Bearer " + BRAZE_KEY}
    written = 0

    def handle(body: bytes, signature: str, _users: list[str]) -> None:
        nonlocal written
        events = parser.parse(body.decode(), signature)
        attributes = [
            {
                "user_alias": {"alias_name": e.source.user_id, "alias_label": ALIAS_LABEL},
                "_update_existing_only": False,
                "line_id": e.source.user_id,
            }
            for e in events
            if isinstance(e, FollowEvent)
        ]
        answer = session.post(
            braze_url + "/users/track", json={"attributes": attributes}, headers=headers, timeout=30
        )
        answer.raise_for_status()
        written += answer.json()["attributes_processed"]

    _webhook_loop(handle, bodies, count)
    if written != (WARMUP_BODIES + count) * EVENTS_PER_BODY:
        sys.exit(f"peer wrote {written} follows")


def _webhook_loop(handle, bodies: list[tuple[bytes, str, list[str]]], count: int) -> None:
    for body in bodies[:WARMUP_BODIES]:
        handle(*body)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for body in bodies[WARMUP_BODIES:]:
        handle(*body)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    events = count * EVENTS_PER_BODY
    _emit(
        {
            "bodies": count,
            "events": events,
            "events_per_s": events / wall,
            "cpu_ms_per_body": 1000 * cpu / count,
            "wall_ms_per_body": 1000 * wall / count,
        }
    )


COMMANDS = {
    "serve": serve,
    "sync-line-braze": sync_line_braze,
    "sync-peer": sync_peer,
    "sync-pure": sync_pure,
    "push-line-braze": push_line_braze,
    "push-peer": push_peer,
    "webhook-line-braze": webhook_line_braze,
    "webhook-peer": webhook_peer,
}

if __name__ == "__main__":
    COMMANDS[sys.argv[1]](sys.argv[2:])
