"""``line-braze``: the command line (also ``python -m line_braze``).

Commands::

    line-braze emulators [--followers N]
    line-braze sync-followers [--resume TOKEN] [--total N]
    line-braze token install
    line-braze token rotate [--channel-id ID] [--kind short_lived|stateless] [--keep-old]
    line-braze template export {text,sticker,image,carousel} [--output FILE] [options]
    line-braze preview TEMPLATE [--user USER.json] [--data DATA.json]
    line-braze send-test TEMPLATE --line-id U... [--user USER.json] [--via line|braze]
    line-braze send-test TEMPLATE --via braze --external-id ID
    line-braze demo [--followers N]
    line-braze serve [--host HOST] [--port PORT] [--path /callback] [--max-body BYTES]

Configuration comes from the environment only: ``BRAZE_API_KEY``, ``BRAZE_REST_ENDPOINT``,
``LINE_CHANNEL_ACCESS_TOKEN`` (when unset, the token is read from the Braze Content Block
``LINE_Channel_AccessToken``, which ``token install`` and ``token rotate`` keep),
``LINE_CHANNEL_SECRET`` and ``LINE_CHANNEL_ID`` (for ``token rotate``) and
``LINE_API_BASE_URL`` (a test server); ``serve`` keeps handled webhook events in the Redis
at ``REDIS_URL`` when it is set, so that several servers share them. Credentials are never
printed.

Every failure is one line on standard error, ``line-braze: error: ...``. Exit codes: 0 ok,
1 failure, 2 usage or configuration, 130 interrupted.

Commands live in `COMMANDS`: each entry adds its sub-parser and sets ``func``, a function
``(args, environ, out, err) -> exit code``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from line_braze.errors import APIError, LineBrazeError, PartialFailure, ValidationError

if TYPE_CHECKING:
    from line_braze.integration import Integration
    from line_braze.mirror import EventStore
    from line_braze.templates import WebhookTemplate

__all__ = ["COMMANDS", "main"]

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
TEMPLATE_KINDS = ("text", "sticker", "image", "carousel")
#: The template options each built-in template takes (argparse destinations).
KIND_OPTIONS: Mapping[str, tuple[str, ...]] = {
    "text": ("text",),
    "sticker": ("package_id", "sticker_id"),
    "image": ("image_url", "preview_url"),
    "carousel": (),
}
ENV_TOKEN = "LINE_CHANNEL_ACCESS_TOKEN"  # noqa: S105 - a variable name
ENV_SECRET = "LINE_CHANNEL_SECRET"  # noqa: S105 - a variable name
ENV_CHANNEL_ID = "LINE_CHANNEL_ID"
BRAZE_ENV = ("BRAZE_API_KEY", "BRAZE_REST_ENDPOINT")


class UsageError(Exception):
    """Bad arguments or configuration: exit code 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is raised (one line from `main`), not printed and exited."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)")


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


def _configured(build: Callable[[], Any]) -> Any:
    """Build a client; a bad environment variable is a configuration error (exit 2)."""
    try:
        return build()
    except ValidationError as exc:
        raise UsageError(str(exc)) from None


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


def _integration(
    environ: Mapping[str, str],
    *,
    token_from_env: bool = False,
    event_store: EventStore | None = None,
) -> Integration:
    """The integration the environment describes.

    Without ``LINE_CHANNEL_ACCESS_TOKEN`` the channel token is read from the Braze Content
    Block (unless ``token_from_env``: ``token install`` stores the variable's token).
    """
    from line_braze import BrazeClient, Integration, IntegrationConfig, LineClient

    has_token = bool(environ.get(ENV_TOKEN, "").strip())
    missing = [n for n in BRAZE_ENV if not environ.get(n, "").strip()]
    if missing or (token_from_env and not has_token):
        names = ([] if has_token else [ENV_TOKEN]) + missing
        raise UsageError(
            f"missing environment variable{'s' if len(names) > 1 else ''}: {', '.join(names)}"
        )
    braze = _configured(lambda: BrazeClient.from_env(environ))
    secret = environ.get(ENV_SECRET, "").strip() or None
    if has_token:
        line = _configured(lambda: LineClient.from_env(environ))
        return Integration(line=line, braze=braze, channel_secret=secret, event_store=event_store)
    name = IntegrationConfig().token_block
    block = braze.content_blocks.find(name)
    token = block.content.reveal().strip() if block is not None else ""
    if not token:
        raise UsageError(
            f"{ENV_TOKEN} is not set and Braze has no Content Block {name} to read the token "
            f"from: set {ENV_TOKEN} (LINE Developers Console, Messaging API tab), then run "
            "line-braze token install"
        )
    line = _configured(lambda: LineClient.from_env({**environ, ENV_TOKEN: token}))
    return Integration(line=line, braze=braze, channel_secret=secret, event_store=event_store)


# -- templates ----------------------------------------------------------------------------


def _option_flag(dest: str) -> str:
    return "--" + dest.replace("_", "-")


def _given_options(args: argparse.Namespace) -> dict[str, str]:
    """The template options given on the command line; an empty one is refused."""
    given: dict[str, str] = {}
    for dest in (d for opts in KIND_OPTIONS.values() for d in opts):
        value = getattr(args, dest, None)
        if value is None:
            continue
        if not value.strip():
            raise UsageError(f"{_option_flag(dest)} must not be empty")
        given[dest] = value
    return given


def _template(
    kind_or_path: str,
    integ: Integration | None,
    args: argparse.Namespace,
    *,
    require_options: bool = False,
) -> WebhookTemplate:
    from line_braze import templates

    given = _given_options(args)
    applies = KIND_OPTIONS.get(kind_or_path, ())
    for dest in given:
        if dest not in applies:
            what = f"the {kind_or_path} template" if kind_or_path in KIND_OPTIONS else "a file"
            takes = ", ".join(map(_option_flag, applies)) or "no template options"
            raise UsageError(f"{_option_flag(dest)} does not apply to {what} (it takes {takes})")
    if kind_or_path in TEMPLATE_KINDS:
        missing = [_option_flag(d) for d in applies if d not in given]
        if require_options and missing:
            raise UsageError(f"the {kind_or_path} template needs {' and '.join(missing)}")
        opts: dict[str, Any] = {}
        if integ is not None:
            opts = {
                "line_id_attribute": integ.config.attribute,
                "token_block": integ.config.token_block,
            }
        try:
            return _seed_template(kind_or_path, given, **opts)
        except ValidationError as exc:
            raise UsageError(str(exc)) from None
    path = Path(kind_or_path)
    if not path.is_file():
        raise UsageError(f"TEMPLATE must be one of {', '.join(TEMPLATE_KINDS)} or a JSON file")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from None
    return templates.WebhookTemplate.from_dict(data)


def _seed_template(kind: str, given: Mapping[str, str], **opts: Any) -> WebhookTemplate:
    """A built-in template; options not given take the documented examples (preview only)."""
    from line_braze import demo, templates

    if kind == "text":
        return templates.text_template(given.get("text", demo.DEMO_TEXT), **opts)
    if kind == "sticker":
        return templates.sticker_template(
            given.get("package_id", "446"), given.get("sticker_id", "1988"), **opts
        )
    if kind == "image":
        return templates.image_template(
            given.get("image_url", demo.DEMO_IMAGE_URL),
            given.get("preview_url", demo.DEMO_PREVIEW_URL),
            **opts,
        )
    return demo.demo_carousel_template(**opts)


def _read_json(option: str, path: str) -> Any:
    """The JSON in the file an option names; an unreadable one is a usage error."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read {option} {path}: {exc}") from None


def _read_user(path: str | None) -> dict[str, Any]:
    if path is None:
        return {}
    data = _read_json("--user", path)
    if not isinstance(data, dict):
        raise UsageError("--user must hold a JSON object of attributes")
    return data


def _read_data(path: str | None) -> dict[str, Any]:
    """Read ``--data``: connected_content answers, catalogs, event properties... as JSON."""
    from line_braze.preview import PREVIEW_KEYWORDS

    if path is None:
        return {}
    data = _read_json("--data", path)
    allowed = PREVIEW_KEYWORDS - {"now"}
    if not isinstance(data, dict) or not set(data) <= allowed:
        raise UsageError(
            f"--data must hold a JSON object with keys among {', '.join(sorted(allowed))}"
        )
    return data


# -- commands -----------------------------------------------------------------------------


def cmd_emulators(
    args: argparse.Namespace, environ: Mapping[str, str], out: TextIO, err: TextIO
) -> int:
    """``emulators``: serve both loopback emulators and print their ``export`` lines."""
    from line_braze.testing._serve import serve_emulators

    return serve_emulators(followers=args.followers, out=out, err=err)


def cmd_sync(args: argparse.Namespace, environ: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    """``sync-followers``; a stop or Ctrl-C says what was written and how to resume."""
    from line_braze.errors import SyncInterrupted
    from line_braze.progress import ProgressBar

    integ = _integration(environ)
    bar = ProgressBar(err, label="sync", total=args.total)
    try:
        report = integ.sync_followers(start=args.resume, progress=bar)
    except (PartialFailure, SyncInterrupted) as exc:
        bar.done()
        err.write(_sync_stopped(exc) + "\n")
        return 130 if isinstance(exc, SyncInterrupted) else EXIT_FAILURE
    bar.done()
    out.write(
        f"synced {report.followers_read:,} followers into Braze: "
        f"{report.profiles_written:,} written, {len(report.refused):,} refused, "
        f"{report.pages} pages, {report.requests} requests, {report.elapsed:.1f}s\n"
    )
    out.writelines(f"  refused {item.line_id}: {item.reason}\n" for item in report.refused[:20])
    return EXIT_OK


def _sync_stopped(exc: PartialFailure | KeyboardInterrupt) -> str:
    """One line: what a stopped sync really wrote and the command that continues it."""
    from line_braze.integration import SyncReport

    report = getattr(exc, "report", None)
    written = report.profiles_written if isinstance(report, SyncReport) else 0
    if isinstance(exc, PartialFailure):
        what = f"line-braze: error: follower sync stopped after {written:,} profiles: "
        what += str(exc.__cause__ or exc)
    else:
        what = f"line-braze: interrupted: {written:,} profiles written before Ctrl-C"
    token = getattr(exc, "resume_from", None)
    if token:
        return f"{what}; resume with: line-braze sync-followers --resume {token}"
    return f"{what}; no page was fully written, start again with: line-braze sync-followers"


def cmd_token(
    args: argparse.Namespace, environ: Mapping[str, str], out: TextIO, err: TextIO
) -> int:
    """``token install`` and ``token rotate``."""
    if args.token_command == "install":  # noqa: S105 - a sub-command name
        integ = _integration(environ, token_from_env=True)
        block = integ.install_access_token()
        out.write(
            f"Content Block {integ.config.token_block} ({block.content_block_id}) holds the "
            f"channel access token; the CLI reads it from there when {ENV_TOKEN} is unset\n"
        )
        return EXIT_OK
    secret = _env(environ, ENV_SECRET)[ENV_SECRET]
    channel_id = (args.channel_id or environ.get(ENV_CHANNEL_ID, "")).strip()
    if not channel_id:
        raise UsageError(f"token rotate needs --channel-id or {ENV_CHANNEL_ID}")
    integ = _integration(environ)
    result = integ.rotate_access_token(
        channel_id=channel_id, channel_secret=secret, kind=args.kind, revoke_old=not args.keep_old
    )
    checked = "verified with LINE, " if result.verified else ""
    out.write(
        f"rotated: the new token is in Content Block {integ.config.token_block} "
        f"({result.content_block_id}), {checked}valid {result.expires_in:,}s\n"
    )
    if result.revoked_old:
        note = "the old token is revoked"
    elif args.keep_old:
        note = "the old token stays valid until it expires (--keep-old)"
    else:
        note = "there was no old token in the Content Block to revoke"
    if environ.get(ENV_TOKEN, "").strip():
        note += (
            f"; unset {ENV_TOKEN} (the CLI then reads the new token from the Content Block) "
            "or set it to the new token"
        )
    out.write(note + "\n")
    return EXIT_OK


def cmd_template(
    args: argparse.Namespace, environ: Mapping[str, str], out: TextIO, err: TextIO
) -> int:
    """``template export``."""
    tpl = _template(args.kind, None, args, require_options=True)
    text = tpl.to_json(indent=2) + "\n"
    if args.kind == "carousel":
        err.write("line-braze: note: the carousel is the example one; edit its columns first\n")
    if args.output is not None:
        if not args.output.strip():
            raise UsageError("--output must not be empty")
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
    preview = integ.preview(tpl, _read_user(args.user), **_read_data(args.data))
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
    from line_braze.line.messages import check_user_id

    external_id = (args.external_id or "").strip() or None
    if args.via == "line" and external_id:
        raise UsageError("--external-id applies only with --via braze")
    if args.via == "braze" and args.line_id is not None and external_id:
        raise UsageError("--via braze sends to --line-id's profile or to --external-id: not both")
    if args.via == "braze" and args.line_id is None and not external_id:
        raise UsageError("--via braze needs --line-id (its line_id alias) or --external-id")
    if args.line_id is not None or args.via == "line":
        try:
            check_user_id(args.line_id, field="--line-id")
        except ValidationError as exc:
            raise UsageError(str(exc)) from None
    integ = _integration(environ)
    tpl = _template(args.template, integ, args)
    result = integ.send_test(
        tpl,
        line_id=args.line_id,
        user=_read_user(args.user),
        via=args.via,
        external_id=external_id,
    )
    if args.via == "braze":
        dispatch = getattr(result, "dispatch_id", None)
        who = external_id or f"the profile of {args.line_id}"
        out.write(f"sent through Braze to {who}: dispatch_id {dispatch}\n")
    else:
        request_id = getattr(result, "accepted_request_id", None) or getattr(
            result, "request_id", None
        )
        attempts = getattr(result, "attempts", 1)
        out.write(
            f"sent to {args.line_id} through LINE: request_id {request_id}, "
            f"{attempts} attempt{'s' if attempts != 1 else ''}\n"
        )
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, environ: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    """``demo``: the five steps on the built-in emulators, no credentials needed."""
    from line_braze.demo import run_demo

    return run_demo(followers=args.followers, latency_ms=args.latency_ms, out=out, err=err)


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
    _env(environ, ENV_SECRET)
    store = _shared_event_store(environ)
    integ = _integration(environ, event_store=store)
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


# -- the parser ---------------------------------------------------------------------------


def _count(text: str) -> int:
    """An argparse type: a whole number, 0 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def _add_emulators(sub: Any) -> None:
    p = sub.add_parser("emulators", help="serve the LINE and Braze emulators; print exports")
    p.add_argument("--followers", type=_count, default=3000, help="followers to simulate")
    p.set_defaults(func=cmd_emulators)


def _add_sync(sub: Any) -> None:
    p = sub.add_parser("sync-followers", help="copy LINE followers into Braze (steps 1-2)")
    p.add_argument("--resume", metavar="TOKEN", help="continue from a saved resume token")
    p.add_argument("--total", type=_count, help="the follower count, if known: the bar fills")
    p.set_defaults(func=cmd_sync)


def _add_token(sub: Any) -> None:
    p = sub.add_parser("token", help="the channel access token Content Block (step 3)")
    token_sub = p.add_subparsers(dest="token_command", required=True, metavar="ACTION")
    token_sub.add_parser("install", help=f"store {ENV_TOKEN} in LINE_Channel_AccessToken")
    rot = token_sub.add_parser("rotate", help="issue a new token, store, verify, revoke old")
    rot.add_argument("--channel-id", help=f"LINE channel ID (default: {ENV_CHANNEL_ID})")
    rot.add_argument("--kind", choices=("short_lived", "stateless"), default="short_lived")
    rot.add_argument("--keep-old", action="store_true", help="do not revoke the old token")
    p.set_defaults(func=cmd_token)


def _add_template(sub: Any) -> None:
    p = sub.add_parser("template", help="the LINE webhook templates (step 4)")
    tsub = p.add_subparsers(dest="template_command", required=True, metavar="ACTION")
    exp = tsub.add_parser("export", help="print a template as Braze's webhook composer takes it")
    exp.add_argument("kind", choices=TEMPLATE_KINDS)
    exp.add_argument("--output", "-o", help="write to a file instead of standard output")
    _template_options(exp)
    p.set_defaults(func=cmd_template)


def _add_preview(sub: Any) -> None:
    p = sub.add_parser("preview", help="render a template for one user (step 5)")
    _template_argument(p)
    p.add_argument(
        "--data",
        metavar="DATA.json",
        help="connected_content answers by URL, catalogs, event_properties... as JSON",
    )
    p.set_defaults(func=cmd_preview)


def _add_send_test(sub: Any) -> None:
    p = sub.add_parser("send-test", help="send a template to one LINE user (step 5)")
    _template_argument(p)
    p.add_argument("--line-id", help="the LINE user ID to send to")
    p.add_argument("--via", choices=("line", "braze"), default="line")
    p.add_argument(
        "--external-id", help="with --via braze, instead of --line-id: a Braze external_id"
    )
    p.set_defaults(func=cmd_send_test)


def _add_demo(sub: Any) -> None:
    p = sub.add_parser("demo", help="run steps 1-5 on the built-in emulators")
    p.add_argument("--followers", type=_count, default=3000, help="followers to simulate")
    p.add_argument("--latency-ms", type=float, default=0.0, help="emulated latency a request")
    p.set_defaults(func=cmd_demo)


def _add_serve(sub: Any) -> None:
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


def _template_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "template", metavar="TEMPLATE", help="text|sticker|image|carousel or a JSON file"
    )
    p.add_argument("--user", metavar="USER.json", help="the user's attributes as JSON")
    _template_options(p)


def _template_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--text", help="text template: the message text (Liquid allowed)")
    p.add_argument("--package-id", help="sticker template: package ID")
    p.add_argument("--sticker-id", help="sticker template: sticker ID")
    p.add_argument("--image-url", help="image template: original image https URL")
    p.add_argument("--preview-url", help="image template: preview image https URL")


#: The sub-commands, in ``--help`` order: each adds its parser to the sub-parsers given.
COMMANDS: tuple[Callable[[Any], None], ...] = (
    _add_emulators,
    _add_sync,
    _add_token,
    _add_template,
    _add_preview,
    _add_send_test,
    _add_demo,
    _add_serve,
)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser, with every command in `COMMANDS`."""
    parser = _Parser(
        prog="line-braze",
        description="Connect a LINE Official Account to a Braze workspace.",
        epilog="Configuration: BRAZE_API_KEY, BRAZE_REST_ENDPOINT, LINE_CHANNEL_ACCESS_TOKEN "
        "(default: the Braze Content Block), LINE_CHANNEL_SECRET, LINE_CHANNEL_ID, "
        "LINE_API_BASE_URL (environment only).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in COMMANDS:
        add(sub)
    return parser


# -- running ------------------------------------------------------------------------------


def _describe(exc: LineBrazeError, environ: Mapping[str, str]) -> str:
    text = str(exc)
    rotated = isinstance(exc, APIError) and exc.service == "line" and exc.status == 401  # noqa: PLR2004
    if rotated and environ.get(ENV_TOKEN, "").strip():
        text += (
            f"; if the token was rotated, unset {ENV_TOKEN} so the CLI reads the new one "
            "from the Braze Content Block"
        )
    return text


def main(  # noqa: PLR0911 - one return per exit code
    argv: Sequence[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command line; return the exit code.

    Every failure is one line on ``stderr``: ``line-braze: error: ...``. Exit codes: 0 ok,
    1 failure, 2 usage or configuration, 130 interrupted.

    Example:
        >>> import io
        >>> out = io.StringIO()
        >>> main(["sync-followers"], environ={}, stdout=out, stderr=out)
        2
        >>> print(out.getvalue().strip())
        line-braze: error: missing environment variables: LINE_CHANNEL_ACCESS_TOKEN, BRAZE_API_KEY, BRAZE_REST_ENDPOINT
    """  # noqa: E501
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    env = os.environ if environ is None else environ
    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as exc:  # --help and --version print, then exit 0
            return int(exc.code or 0) if exc.code in (0, None) else EXIT_USAGE
        func: Callable[..., int] = args.func
        return func(args, env, out, err)
    except UsageError as exc:
        err.write(f"line-braze: error: {exc}\n")
        return EXIT_USAGE
    except LineBrazeError as exc:
        err.write(f"line-braze: error: {_describe(exc, env)}\n")
        return EXIT_FAILURE
    except KeyboardInterrupt:
        err.write("line-braze: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`line-braze ... | head`): nothing to say, and nothing more
        # to flush at exit either.
        if stdout is None:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FAILURE
    except OSError as exc:
        err.write(f"line-braze: error: {_os_error(exc)}\n")
        return EXIT_FAILURE
    except Exception as exc:  # noqa: BLE001 - the contract: one line, never a traceback
        err.write(f"line-braze: error: unexpected {type(exc).__name__}: {exc}\n")
        return EXIT_FAILURE


def _os_error(exc: OSError) -> str:
    """``cannot write out.json: No such file or directory``, not Python's tuple form."""
    reason = exc.strerror or str(exc)
    return f"{exc.filename}: {reason}" if exc.filename else reason


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
