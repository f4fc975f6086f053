"""``line-braze``: the command line (also ``python -m line_braze``).

Commands::

    line-braze sync-followers [--resume TOKEN]
    line-braze token install
    line-braze token rotate --channel-id ID [--kind short_lived|stateless] [--keep-old]
    line-braze template export {text,sticker,image,carousel} [--output FILE] [options]
    line-braze preview TEMPLATE --user USER.json
    line-braze send-test TEMPLATE --line-id U... [--user USER.json] [--via line|braze]
    line-braze send-test TEMPLATE --via braze --external-id ID
    line-braze demo [--followers N]
    line-braze serve [--host HOST] [--port PORT] [--path /callback] [--max-body BYTES]

Credentials come from the environment only: ``LINE_CHANNEL_ACCESS_TOKEN``,
``LINE_CHANNEL_SECRET``, ``BRAZE_API_KEY``, ``BRAZE_REST_ENDPOINT`` (and optionally
``LINE_API_BASE_URL`` for a test server). ``serve`` keeps handled webhook events in the
Redis at ``REDIS_URL`` when it is set, so that several servers share them. They are never
printed. Exit codes: 0 ok, 1 failure, 2 usage or missing configuration.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from line_braze.errors import LineBrazeError, PartialFailure

if TYPE_CHECKING:
    from line_braze.integration import Integration, SyncProgress
    from line_braze.mirror import EventStore
    from line_braze.templates import WebhookTemplate

__all__ = ["main"]

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
TEMPLATE_KINDS = ("text", "sticker", "image", "carousel")


class UsageError(Exception):
    """Bad arguments or missing configuration: exit code 2."""


def _env(environ: Mapping[str, str], *names: str) -> dict[str, str]:
    missing = [n for n in names if not environ.get(n, "").strip()]
    if missing:
        raise UsageError(
            "missing environment variable"
            + ("s" if len(missing) > 1 else "")
            + ": "
            + ", ".join(missing)
        )
    return {n: environ[n].strip() for n in names}


def _integration(
    environ: Mapping[str, str], *, need_secret: bool = False, event_store: EventStore | None = None
) -> Integration:
    from line_braze import BrazeClient, Integration, LineClient

    names = ["LINE_CHANNEL_ACCESS_TOKEN", "BRAZE_API_KEY", "BRAZE_REST_ENDPOINT"]
    if need_secret:
        names.append("LINE_CHANNEL_SECRET")
    env = _env(environ, *names)
    line = LineClient.from_env(environ)
    braze = BrazeClient(env["BRAZE_API_KEY"], rest_endpoint=env["BRAZE_REST_ENDPOINT"])
    return Integration(
        line=line,
        braze=braze,
        channel_secret=env.get("LINE_CHANNEL_SECRET"),
        event_store=event_store,
    )


def _shared_event_store(environ: Mapping[str, str]) -> EventStore | None:
    """A `RedisEventStore` on ``REDIS_URL`` when it is set (never shown: it may hold a password)."""
    url = environ.get("REDIS_URL", "").strip()
    if not url:
        return None
    try:
        import redis
    except ImportError:
        raise UsageError("REDIS_URL is set: pip install 'line-braze[redis]'") from None
    from line_braze._logging import redact
    from line_braze.redis import RedisEventStore

    try:
        client = redis.Redis.from_url(url)
    except ValueError:
        raise UsageError("REDIS_URL must be a redis://, rediss:// or unix:// URL") from None
    try:
        client.ping()
    except redis.RedisError as exc:
        client.close()
        reason = redact(f"{type(exc).__name__}: {exc}").replace(url, "REDIS_URL")
        raise UsageError(f"REDIS_URL: Redis did not answer: {reason}") from None
    return RedisEventStore(client)


class ProgressBar:
    """A one-line progress display on a terminal stream (plain lines when not a TTY)."""

    def __init__(self, stream: TextIO, *, label: str) -> None:
        """Draw on ``stream``."""
        self.stream = stream
        self.label = label
        self.tty = stream.isatty()
        self.last = 0.0
        self.pending: SyncProgress | None = None

    def __call__(self, p: SyncProgress) -> None:
        """Show a `SyncProgress` snapshot (at most once a second when not a terminal)."""
        now = time.monotonic()
        if not self.tty and now - self.last < 1.0:
            self.pending = p
            return
        self.last = now
        self.pending = None
        self._draw(p)

    def _draw(self, p: SyncProgress) -> None:
        rate = p.profiles_written / p.elapsed if p.elapsed > 0 else 0.0
        width = 24
        filled = p.pages % (width + 1)
        bar = "#" * filled + "-" * (width - filled)
        line = (
            f"{self.label} [{bar}] {p.followers_read:,} read, {p.profiles_written:,} written, "
            f"{p.pages} pages, {rate:,.0f}/s"
        )
        if self.tty:
            self.stream.write("\r" + line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def done(self) -> None:
        """End the progress line; off a terminal, show the last snapshot not yet shown."""
        if self.pending is not None:
            self._draw(self.pending)
            self.pending = None
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def _template(
    kind_or_path: str, integ: Integration | None, args: argparse.Namespace
) -> WebhookTemplate:
    from line_braze import templates

    if kind_or_path in TEMPLATE_KINDS:
        opts: dict[str, Any] = {}
        if integ is not None:
            opts = {
                "line_id_attribute": integ.config.attribute,
                "token_block": integ.config.token_block,
            }
        return _seed_template(kind_or_path, args, **opts)
    path = Path(kind_or_path)
    if not path.is_file():
        raise UsageError(f"TEMPLATE must be one of {', '.join(TEMPLATE_KINDS)} or a JSON file")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from None
    return templates.WebhookTemplate.from_dict(data)


def _seed_template(kind: str, args: argparse.Namespace, **opts: Any) -> WebhookTemplate:
    from line_braze import templates

    if kind == "text":
        return templates.text_template(getattr(args, "text", None) or templates.DEMO_TEXT, **opts)
    if kind == "sticker":
        return templates.sticker_template(
            getattr(args, "package_id", None) or "446",
            getattr(args, "sticker_id", None) or "1988",
            **opts,
        )
    if kind == "image":
        return templates.image_template(
            getattr(args, "image_url", None) or templates.DEMO_IMAGE_URL,
            getattr(args, "preview_url", None) or templates.DEMO_PREVIEW_URL,
            **opts,
        )
    return templates.demo_carousel_template(**opts)


def _read_user(path: str | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read --user {path}: {exc}") from None
    if not isinstance(data, dict):
        raise UsageError("--user must hold a JSON object of attributes")
    return data


def cmd_sync(args: argparse.Namespace, environ: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    """``sync-followers``; on Ctrl-C, what was written and the resume command, exit 130."""
    from line_braze.errors import SyncInterrupted

    integ = _integration(environ)
    bar = ProgressBar(err, label="sync")
    try:
        report = integ.sync_followers(start=args.resume, progress=bar)
    except (PartialFailure, SyncInterrupted) as exc:
        bar.done()
        _sync_stopped(exc, err)
        return 130 if isinstance(exc, SyncInterrupted) else EXIT_FAILURE
    bar.done()
    out.write(
        f"synced {report.followers_read:,} followers into Braze: "
        f"{report.profiles_written:,} written, {len(report.refused):,} refused, "
        f"{report.pages} pages, {report.requests} requests, {report.elapsed:.1f}s\n"
    )
    out.writelines(f"  refused {item.line_id}: {item.reason}\n" for item in report.refused[:20])
    return EXIT_OK


def _sync_stopped(exc: PartialFailure | KeyboardInterrupt, err: TextIO) -> None:
    """Say what a stopped sync really wrote and the command that continues it."""
    from line_braze.integration import SyncReport

    report = getattr(exc, "report", None)
    written = report.profiles_written if isinstance(report, SyncReport) else 0
    if isinstance(exc, PartialFailure):
        err.write(
            f"error: follower sync stopped after {written:,} profiles written: {exc.__cause__}\n"
        )
    else:
        err.write(f"interrupted: {written:,} profiles written before Ctrl-C\n")
    token = getattr(exc, "resume_from", None)
    if token:
        err.write(f"resume with: line-braze sync-followers --resume {token}\n")
    else:
        err.write("no page was fully written; start again with: line-braze sync-followers\n")


def cmd_token(
    args: argparse.Namespace, environ: Mapping[str, str], out: TextIO, err: TextIO
) -> int:
    """``token install`` and ``token rotate``."""
    integ = _integration(environ)
    if args.token_command == "install":  # noqa: S105 - a sub-command name
        block = integ.install_access_token()
        out.write(
            f"Content Block {integ.config.token_block} ({block.content_block_id}) holds the "
            "channel access token\n"
        )
        return EXIT_OK
    secret = _env(environ, "LINE_CHANNEL_SECRET")["LINE_CHANNEL_SECRET"]
    channel_id = args.channel_id or environ.get("LINE_CHANNEL_ID", "").strip()
    if not channel_id:
        raise UsageError("token rotate needs --channel-id or LINE_CHANNEL_ID")
    result = integ.rotate_access_token(
        channel_id=channel_id, channel_secret=secret, kind=args.kind, revoke_old=not args.keep_old
    )
    out.write(
        f"rotated: Content Block {result.content_block_id} updated, new token valid "
        f"{result.expires_in}s, verified={result.verified}, old revoked={result.revoked_old}\n"
    )
    return EXIT_OK


def cmd_template(
    args: argparse.Namespace, environ: Mapping[str, str], out: TextIO, err: TextIO
) -> int:
    """``template export``."""
    tpl = _template(args.kind, None, args)
    text = tpl.to_json(indent=2) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        err.write(f"wrote {args.output}\n")
    else:
        out.write(text)
    return EXIT_OK


def cmd_preview(
    args: argparse.Namespace, environ: Mapping[str, str], out: TextIO, err: TextIO
) -> int:
    """``preview``."""
    integ = _integration(environ)
    tpl = _template(args.template, integ, args)
    preview = integ.preview(tpl, _read_user(args.user))
    if preview.aborted:
        out.write(f"aborted: {preview.abort_reason}\n")
        return EXIT_OK
    out.write(f"{preview.method} {preview.url}\n")
    out.writelines(f"{name}: {value}\n" for name, value in preview.masked_headers().items())
    out.write("\n" + json.dumps(preview.json, indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK


def cmd_send_test(
    args: argparse.Namespace, environ: Mapping[str, str], out: TextIO, err: TextIO
) -> int:
    """``send-test``."""
    integ = _integration(environ)
    tpl = _template(args.template, integ, args)
    result = integ.send_test(
        tpl,
        line_id=args.line_id,
        user=_read_user(args.user),
        via=args.via,
        external_id=args.external_id,
    )
    out.write(f"sent: {result!r}\n")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, environ: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    """``demo``: the five steps on the built-in emulators, no credentials needed."""
    from line_braze.demo import run_demo

    return run_demo(followers=args.followers, latency_ms=args.latency_ms, out=out, err=err)


def _say(stream: TextIO, line: str) -> None:
    stream.write(line + "\n")
    stream.flush()


def cmd_serve(
    args: argparse.Namespace, environ: Mapping[str, str], out: TextIO, err: TextIO
) -> int:
    """``serve``: LINE's webhooks on waitress until SIGTERM or Ctrl-C."""
    import logging

    from line_braze.server import WebhookApp, serve

    if not 0 <= args.port <= 65535:  # noqa: PLR2004 - the TCP port range
        raise UsageError(f"--port must be 0..65535, got {args.port}")
    if args.threads < 1:
        raise UsageError(f"--threads must be >= 1, got {args.threads}")
    store = _shared_event_store(environ)
    integ = _integration(environ, need_secret=True, event_store=store)
    shared = " (handled events shared in Redis)" if store is not None else ""
    try:
        app = WebhookApp(integ, path=args.path, max_body_bytes=args.max_body)
    except LineBrazeError as exc:
        raise UsageError(str(exc)) from None
    handler = logging.StreamHandler(err)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    loggers = [logging.getLogger(name) for name in ("line_braze.server", "waitress")]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    try:
        serve(
            app,
            host=args.host,
            port=args.port,
            threads=args.threads,
            on_ready=lambda url: (
                err.write(f"line-braze: serving {url}{app.path}{shared}\n") and err.flush()
            ),
        )
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser."""
    parser = argparse.ArgumentParser(
        prog="line-braze",
        description="Connect a LINE Official Account to a Braze workspace.",
        epilog="Credentials: LINE_CHANNEL_ACCESS_TOKEN, LINE_CHANNEL_SECRET, BRAZE_API_KEY, "
        "BRAZE_REST_ENDPOINT (environment only).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("sync-followers", help="copy LINE followers into Braze (steps 1-2)")
    p.add_argument("--resume", metavar="TOKEN", help="continue from a saved resume token")
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("token", help="the channel access token Content Block (step 3)")
    token_sub = p.add_subparsers(dest="token_command", required=True, metavar="ACTION")
    token_sub.add_parser("install", help="create or update LINE_Channel_AccessToken")
    rot = token_sub.add_parser("rotate", help="issue a new token, store, verify, revoke old")
    rot.add_argument("--channel-id", help="LINE channel ID (or LINE_CHANNEL_ID)")
    rot.add_argument("--kind", choices=("short_lived", "stateless"), default="short_lived")
    rot.add_argument("--keep-old", action="store_true", help="do not revoke the old token")
    p.set_defaults(func=cmd_token)

    p = sub.add_parser("template", help="the LINE webhook templates (step 4)")
    tsub = p.add_subparsers(dest="template_command", required=True, metavar="ACTION")
    exp = tsub.add_parser("export", help="print a template as Braze's webhook composer takes it")
    exp.add_argument("kind", choices=TEMPLATE_KINDS)
    exp.add_argument("--output", "-o", help="write to a file instead of standard output")
    _template_options(exp)
    p.set_defaults(func=cmd_template)

    for name, func, helptext in (
        ("preview", cmd_preview, "render a template for one user (step 5)"),
        ("send-test", cmd_send_test, "send a template to one LINE user (step 5)"),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument(
            "template", metavar="TEMPLATE", help="text|sticker|image|carousel or a JSON file"
        )
        p.add_argument("--user", metavar="USER.json", help="the user's attributes as JSON")
        _template_options(p)
        if name == "send-test":
            p.add_argument("--line-id", help="the LINE user ID to send to")
            p.add_argument("--via", choices=("line", "braze"), default="line")
            p.add_argument(
                "--external-id", help="with --via braze, instead of --line-id: a Braze external_id"
            )
        p.set_defaults(func=func)

    p = sub.add_parser("demo", help="run steps 1-5 on the built-in emulators")
    p.add_argument("--followers", type=int, default=3000, help="followers to simulate")
    p.add_argument("--latency-ms", type=float, default=0.0, help="emulated latency a request")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "serve",
        help="serve LINE's webhooks (needs line-braze[serve])",
        description="Serve LINE's webhooks. With REDIS_URL set (needs line-braze[redis]), "
        "handled events are kept in that Redis, shared by every server using it.",
    )
    p.add_argument("--host", default="127.0.0.1", help="interface (0.0.0.0 for all)")
    p.add_argument("--port", type=int, default=8000, help="TCP port (0: any free one)")
    p.add_argument("--path", default="/callback", help="the webhook URL's path")
    p.add_argument("--max-body", type=int, default=1024 * 1024, help="largest body, bytes")
    p.add_argument("--threads", type=int, default=8, help="requests handled at once")
    p.set_defaults(func=cmd_serve)
    return parser


def _template_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--text", help="text template: the message text (Liquid allowed)")
    p.add_argument("--package-id", help="sticker template: package ID")
    p.add_argument("--sticker-id", help="sticker template: sticker ID")
    p.add_argument("--image-url", help="image template: original image https URL")
    p.add_argument("--preview-url", help="image template: preview image https URL")


def main(
    argv: Sequence[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command line; return the exit code.

    Example:
        >>> import io
        >>> out = io.StringIO()
        >>> main(["sync-followers"], environ={}, stdout=out, stderr=out)
        2
        >>> print(out.getvalue().strip())
        line-braze: missing environment variables: LINE_CHANNEL_ACCESS_TOKEN, BRAZE_API_KEY, BRAZE_REST_ENDPOINT
    """  # noqa: E501
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    env = os.environ if environ is None else environ
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if exc.code in (0, None) else EXIT_USAGE
    func: Callable[..., int] = args.func
    try:
        return func(args, env, out, err)
    except UsageError as exc:
        err.write(f"line-braze: {exc}\n")
        return EXIT_USAGE
    except LineBrazeError as exc:
        err.write(f"line-braze: error: {exc}\n")
        return EXIT_FAILURE
    except KeyboardInterrupt:
        err.write("line-braze: interrupted\n")
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
