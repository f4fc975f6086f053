"""The Braze emulator's user store: ``/users/track`` and the identity endpoints.

Rules from ``shared/specs/braze/FACTS.md`` §1-2: one primary identifier per object
(``external_id``, ``user_alias``, ``braze_id``), ``email``/``phone`` for lookup only without
one; ``_update_existing_only`` defaults to true for aliases (nothing is created without
``false``) and false otherwise; ``null`` unsets an attribute; ``inc``/``add``/``remove`` and
``$add``/``$remove``/``$update`` operations; identify merges an alias-only profile into a
known user unless that user already has an alias with the same label.

Not thread-safe on its own: the emulator calls it under its lock.
"""

from __future__ import annotations

import copy
import itertools
import os
from collections.abc import Mapping
from typing import Any, Final

import attrs

__all__ = ["Profile", "UserStore"]

MAX_IDS: Final = 50
_RESERVED: Final = frozenset(
    {"external_id", "user_alias", "braze_id", "_update_existing_only", "_merge_objects"}
)
_STANDARD: Final = frozenset(
    {
        "first_name",
        "last_name",
        "email",
        "phone",
        "country",
        "city",
        "home_city",
        "language",
        "gender",
        "dob",
        "time_zone",
        "native_line_id",
    }
)
_REQUIRED_ID: Final = "'external_id' or 'braze_id' or 'user_alias' is required"
_ONE_ID: Final = "only one of 'external_id', 'braze_id' or 'user_alias' may be given"
_BAD_ALIAS: Final = "'user_alias' must be an object with string 'alias_name' and 'alias_label'"
_TOO_MANY_IDS: Final = "The max number of external_ids and aliases per request was exceeded"


@attrs.frozen(kw_only=True)
class Profile:
    """A snapshot of one user profile in the Braze emulator.

    Attributes:
        braze_id: the emulator-assigned Braze ID.
        external_id: the external ID, or ``None`` for alias-only and anonymous profiles.
        user_aliases: alias label mapped to alias name.
        attributes: custom and standard attributes as stored.
        events: custom events recorded, oldest first.
        purchases: purchases recorded, oldest first.

    Example:
        >>> Profile(braze_id="b1", user_aliases={"line_id": "U1"}).alias("line_id")
        'U1'
    """

    braze_id: str
    external_id: str | None = None
    user_aliases: Mapping[str, str] = attrs.field(factory=dict)
    attributes: Mapping[str, Any] = attrs.field(factory=dict)
    events: tuple[Mapping[str, Any], ...] = ()
    purchases: tuple[Mapping[str, Any], ...] = ()

    def alias(self, label: str) -> str | None:
        """Return the alias name under ``label``, or ``None``."""
        return self.user_aliases.get(label)


@attrs.define
class _User:
    braze_id: str
    external_id: str | None = None
    aliases: dict[str, str] = attrs.field(factory=dict)
    attributes: dict[str, Any] = attrs.field(factory=dict)
    events: list[dict[str, Any]] = attrs.field(factory=list)
    purchases: list[dict[str, Any]] = attrs.field(factory=list)

    def snapshot(self) -> Profile:
        return Profile(
            braze_id=self.braze_id,
            external_id=self.external_id,
            user_aliases=dict(self.aliases),
            attributes=copy.deepcopy(self.attributes),
            events=tuple(copy.deepcopy(self.events)),
            purchases=tuple(copy.deepcopy(self.purchases)),
        )


class BadRequest(Exception):
    """A fatal 400 with Braze's ``message``."""

    def __init__(self, message: str) -> None:
        """Keep the message Braze would answer."""
        super().__init__(message)
        self.message = message


class UserStore:
    """Profiles and their indexes; counters for ``store_profiles=False``."""

    def __init__(self, *, store_profiles: bool, max_track_objects: int, combined: bool) -> None:
        """Start empty."""
        self.store_profiles = store_profiles
        self.max_track_objects = max_track_objects
        self.combined = combined
        self.users: dict[str, _User] = {}  # by braze_id, in creation order
        self.by_external: dict[str, _User] = {}
        self.by_alias: dict[tuple[str, str], _User] = {}
        self.by_email: dict[str, _User] = {}
        self.by_phone: dict[str, _User] = {}
        self._ids = itertools.count(1)
        self._prefix = os.urandom(4).hex()
        self.stats: dict[str, int] = dict.fromkeys(
            (
                "track_requests",
                "attributes_processed",
                "events_processed",
                "purchases_processed",
                "item_errors",
                "skipped_update_existing_only",
            ),
            0,
        )

    # -- lookup -----------------------------------------------------------------------

    def _new(self) -> _User:
        user = _User(braze_id=f"{self._prefix}{next(self._ids):016x}")
        self.users[user.braze_id] = user
        return user

    def find(self, ident: Mapping[str, Any]) -> _User | None:
        """Find a user by any identifier in ``ident`` (first match wins)."""
        if ident.get("external_id") is not None:
            return self.by_external.get(ident["external_id"])
        alias = ident.get("user_alias")
        if isinstance(alias, Mapping):
            return self.by_alias.get((alias.get("alias_label"), alias.get("alias_name")))  # type: ignore[arg-type]
        if ident.get("braze_id") is not None:
            return self.users.get(ident["braze_id"])
        if ident.get("email") is not None:
            return self.by_email.get(ident["email"])
        if ident.get("phone") is not None:
            return self.by_phone.get(ident["phone"])
        return None

    def _remove(self, user: _User) -> None:
        self.users.pop(user.braze_id, None)
        if user.external_id is not None:
            self.by_external.pop(user.external_id, None)
        for label, name in user.aliases.items():
            self.by_alias.pop((label, name), None)
        for index, key in ((self.by_email, "email"), (self.by_phone, "phone")):
            value = user.attributes.get(key)
            if isinstance(value, str) and index.get(value) is user:
                index.pop(value)

    def _reindex_contact(self, user: _User, key: str, old: Any) -> None:
        index = self.by_email if key == "email" else self.by_phone
        if isinstance(old, str) and index.get(old) is user:
            index.pop(old)
        new = user.attributes.get(key)
        if isinstance(new, str):
            index.setdefault(new, user)

    # -- /users/track -----------------------------------------------------------------

    def track(self, body: Any) -> dict[str, Any]:  # noqa: C901 - one rule per branch
        """Apply a ``/users/track`` body; return the 201 answer or raise `BadRequest`."""
        if not isinstance(body, dict):
            raise BadRequest("Bad Request: the body must be a JSON object")
        arrays: dict[str, list[Any]] = {}
        for name in ("attributes", "events", "purchases"):
            value = body.get(name)
            if value is None:
                continue
            if not isinstance(value, list):
                raise BadRequest(f"'{name}' must be an array")
            arrays[name] = value
        if not arrays:
            raise BadRequest("No attributes, events or purchases to process")
        sizes = [len(v) for v in arrays.values()]
        if (sum(sizes) if self.combined else max(sizes)) > self.max_track_objects:
            raise BadRequest("Max Input Length Exceeded")
        self.stats["track_requests"] += 1
        errors: list[dict[str, Any]] = []
        answer: dict[str, Any] = {"message": "success"}
        for name, items in arrays.items():
            processed = 0
            for index, item in enumerate(items):
                reason = self._check_item(name, item)
                if reason is not None:
                    errors.append({"type": reason, "input_array": name, "index": index})
                    continue
                processed += 1
                self._apply(name, item)
            answer[f"{name}_processed"] = processed
            self.stats[f"{name}_processed"] += processed
        if errors:
            answer["errors"] = errors
            self.stats["item_errors"] += len(errors)
        return answer

    @staticmethod
    def _check_item(array: str, item: Any) -> str | None:  # noqa: C901, PLR0911, PLR0912
        if not isinstance(item, dict):
            return f"'{array}' items must be JSON objects"
        primaries = [
            k for k in ("external_id", "user_alias", "braze_id") if item.get(k) is not None
        ]
        if len(primaries) > 1:
            return _ONE_ID
        if not primaries and item.get("email") is None and item.get("phone") is None:
            return _REQUIRED_ID
        ext = item.get("external_id")
        if ext is not None:
            if not isinstance(ext, str) or not ext:
                return "'external_id' must be a non-empty string"
            if len(ext.encode()) > 987:  # noqa: PLR2004
                return "EXTERNAL_USER_ID_TOO_LARGE"
        alias = item.get("user_alias")
        if alias is not None and not (
            isinstance(alias, dict)
            and isinstance(alias.get("alias_name"), str)
            and isinstance(alias.get("alias_label"), str)
            and alias["alias_name"]
            and alias["alias_label"]
        ):
            return _BAD_ALIAS
        only = item.get("_update_existing_only")
        if only is not None and not isinstance(only, bool):
            return "'_update_existing_only' must be a boolean"
        if array == "events":
            if not isinstance(item.get("name"), str) or not item["name"]:
                return "'name' is required"
            if not item.get("time"):
                return "'time' is required"
        if array == "purchases":
            for field in ("product_id", "currency", "price", "time"):
                if item.get(field) in (None, ""):
                    return f"'{field}' is required"
        return None

    def _apply(self, array: str, item: dict[str, Any]) -> None:
        if not self.store_profiles:
            return
        user = self.find(item)
        if user is None:
            default_only = item.get("user_alias") is not None or item.get("braze_id") is not None
            if item.get("_update_existing_only", default_only):
                self.stats["skipped_update_existing_only"] += 1
                return
            user = self._new()
            if item.get("external_id") is not None:
                user.external_id = item["external_id"]
                self.by_external[user.external_id] = user
            alias = item.get("user_alias")
            if alias is not None:
                user.aliases[alias["alias_label"]] = alias["alias_name"]
                self.by_alias[(alias["alias_label"], alias["alias_name"])] = user
        if array == "events":
            user.events.append({k: v for k, v in item.items() if k not in _RESERVED})
        elif array == "purchases":
            user.purchases.append({k: v for k, v in item.items() if k not in _RESERVED})
        else:
            self._set_attributes(user, item)

    def _set_attributes(self, user: _User, item: dict[str, Any]) -> None:
        attributes = user.attributes
        merge = bool(item.get("_merge_objects", False))
        for key, value in item.items():
            if key in _RESERVED:
                continue
            old = attributes.get(key)
            if value is None:
                attributes.pop(key, None)
            elif isinstance(value, dict) and value.keys() == {"inc"}:
                base = old if isinstance(old, int | float) else 0
                attributes[key] = base + value["inc"]
            elif isinstance(value, dict) and value and value.keys() <= {"add", "remove"}:
                items = list(old) if isinstance(old, list) else []
                for x in value.get("add", []):
                    if x not in items:
                        items.append(x)
                attributes[key] = [x for x in items if x not in value.get("remove", [])]
            elif (
                isinstance(value, dict) and value and value.keys() <= {"$add", "$remove", "$update"}
            ):
                attributes[key] = _object_array(old, value, merge=merge)
            else:
                attributes[key] = copy.deepcopy(value) if isinstance(value, list | dict) else value
            if key in {"email", "phone"}:
                self._reindex_contact(user, key, old)

    # -- identity endpoints -----------------------------------------------------------

    def identify(self, body: Any) -> dict[str, Any]:
        """``/users/identify`` (aliases): promote or merge alias-only profiles."""
        items = _list(body, "aliases_to_identify")
        for item in items:
            ext = item.get("external_id") if isinstance(item, dict) else None
            alias = item.get("user_alias") if isinstance(item, dict) else None
            if not isinstance(ext, str) or not _is_alias(alias):
                raise BadRequest("each alias to identify needs 'external_id' and 'user_alias'")
        for item in items:
            source = self.by_alias.get(
                (item["user_alias"]["alias_label"], item["user_alias"]["alias_name"])
            )
            if source is None or source.external_id is not None:
                continue
            known = self.by_external.get(item["external_id"])
            if known is None:
                source.external_id = item["external_id"]
                self.by_external[source.external_id] = source
            elif item["user_alias"]["alias_label"] in known.aliases:
                continue  # Braze: one alias per label, so the profiles are not combined
            else:
                self._merge_into(source, known)
        return {"aliases_processed": len(items), "message": "success"}

    def alias_new(self, body: Any) -> dict[str, Any]:
        """``/users/alias/new``: add an alias to a known user, or create an alias-only one."""
        items = _list(body, "user_aliases")
        for item in items:
            if not _is_alias(item):
                raise BadRequest("each alias needs string 'alias_name' and 'alias_label'")
        for item in items:
            key = (item["alias_label"], item["alias_name"])
            if key in self.by_alias:
                continue
            ext = item.get("external_id")
            if ext is not None:
                user = self.by_external.get(ext)
                if user is None or key[0] in user.aliases:
                    continue
            else:
                user = self._new()
            user.aliases[key[0]] = key[1]
            self.by_alias[key] = user
        return {"aliases_processed": len(items), "message": "success"}

    def alias_update(self, body: Any) -> dict[str, Any]:
        """``/users/alias/update``: rename aliases."""
        items = _list(body, "alias_updates")
        for item in items:
            if not isinstance(item, dict):
                raise BadRequest("each alias update must be an object")
            key = (item.get("alias_label"), item.get("old_alias_name"))
            user = self.by_alias.pop(key, None)  # type: ignore[arg-type]
            if user is not None:
                user.aliases[item["alias_label"]] = item["new_alias_name"]
                self.by_alias[(item["alias_label"], item["new_alias_name"])] = user
        return {"message": "success"}

    def merge(self, body: Any) -> dict[str, Any]:
        """``/users/merge``: fold ``identifier_to_merge`` into ``identifier_to_keep``."""
        items = _list(body, "merge_updates")
        for item in items:
            if not (
                isinstance(item, dict)
                and isinstance(item.get("identifier_to_merge"), dict)
                and isinstance(item.get("identifier_to_keep"), dict)
            ):
                raise BadRequest(
                    "each merge update needs 'identifier_to_merge' and 'identifier_to_keep'"
                )
        for item in items:
            source = self.find(item["identifier_to_merge"])
            target = self.find(item["identifier_to_keep"])
            if source is not None and target is not None and source is not target:
                self._merge_into(source, target)
        return {"message": "success"}

    def delete(self, body: Any) -> dict[str, Any]:
        """``/users/delete`` by one kind of identifier."""
        if not isinstance(body, dict):
            raise BadRequest("Bad Request: the body must be a JSON object")
        kinds = [k for k in ("external_ids", "user_aliases", "braze_ids") if body.get(k)]
        if len(kinds) != 1:
            raise BadRequest("give exactly one of external_ids, user_aliases or braze_ids")
        values = _list(body, kinds[0])
        deleted = 0
        for value in values:
            if kinds[0] == "external_ids":
                user = self.by_external.get(value)
            elif kinds[0] == "braze_ids":
                user = self.users.get(value)
            else:
                user = self.find({"user_alias": value})
            if user is not None:
                self._remove(user)
                deleted += 1
        return {"deleted": deleted, "message": "success"}

    def export_ids(self, body: Any) -> dict[str, Any]:
        """``/users/export/ids``: the users named, in Braze's export shape."""
        if not isinstance(body, dict):
            raise BadRequest("Bad Request: the body must be a JSON object")
        external_ids = body.get("external_ids") or []
        aliases = body.get("user_aliases") or []
        if len(external_ids) + len(aliases) > MAX_IDS:
            raise BadRequest(_TOO_MANY_IDS)
        fields = body.get("fields_to_export")
        found: list[_User] = []
        invalid: list[str] = []
        for ext in external_ids:
            user = self.by_external.get(ext)
            if user is None:
                invalid.append(ext)
            elif user not in found:
                found.append(user)
        lookups = [{"user_alias": a} for a in aliases]
        lookups += [
            {key: body[param]}
            for key, param in (
                ("braze_id", "braze_id"),
                ("email", "email_address"),
                ("phone", "phone"),
            )
            if body.get(param)
        ]
        for lookup in lookups:
            user = self.find(lookup)
            if user is not None and user not in found:
                found.append(user)
        answer: dict[str, Any] = {
            "message": "success",
            "users": [_export(u, fields) for u in found],
        }
        if invalid:
            answer["invalid_user_ids"] = invalid
        return answer

    def _merge_into(self, source: _User, target: _User) -> None:
        self._remove(source)
        for key, value in source.attributes.items():
            if key not in target.attributes:
                target.attributes[key] = value
                if key in {"email", "phone"}:
                    self._reindex_contact(target, key, None)
        target.events.extend(source.events)
        target.purchases.extend(source.purchases)
        for label, name in source.aliases.items():
            if label not in target.aliases:
                target.aliases[label] = name
                self.by_alias[(label, name)] = target
        if target.external_id is None and source.external_id is not None:
            target.external_id = source.external_id
            self.by_external[source.external_id] = target


def _list(body: Any, key: str) -> list[Any]:
    if not isinstance(body, dict) or not isinstance(body.get(key), list):
        raise BadRequest(f"'{key}' must be an array")
    items: list[Any] = body[key]
    if len(items) > MAX_IDS:
        raise BadRequest(_TOO_MANY_IDS)
    return items


def _is_alias(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("alias_name"), str)
        and isinstance(value.get("alias_label"), str)
        and bool(value["alias_name"])
        and bool(value["alias_label"])
    )


def _object_array(old: Any, ops: Mapping[str, Any], *, merge: bool) -> list[Any]:
    items = [dict(x) for x in old] if isinstance(old, list) else []
    items.extend(copy.deepcopy(ops.get("$add", [])))
    for spec in ops.get("$remove", []):
        key, value = spec.get("$identifier_key"), spec.get("$identifier_value")
        items = [x for x in items if x.get(key) != value]
    for spec in ops.get("$update", []):
        key, value = spec.get("$identifier_key"), spec.get("$identifier_value")
        for x in items:
            if x.get(key) == value:
                new = spec.get("$new_object", {})
                if not merge:
                    x.clear()
                    x[key] = value
                x.update(copy.deepcopy(new))
    return items


def _export(user: _User, fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "external_id": user.external_id,
        "user_aliases": [{"alias_name": n, "alias_label": lbl} for lbl, n in user.aliases.items()],
        "braze_id": user.braze_id,
    }
    custom: dict[str, Any] = {}
    for key, value in user.attributes.items():
        if key in _STANDARD:
            out[key] = copy.deepcopy(value)
        else:
            custom[key] = copy.deepcopy(value)
    out["custom_attributes"] = custom
    if user.events:
        out["custom_events"] = [
            {"name": name, "count": sum(1 for e in user.events if e.get("name") == name)}
            for name in dict.fromkeys(e.get("name") for e in user.events)
        ]
    if user.purchases:
        out["purchases"] = [{"name": p.get("product_id")} for p in user.purchases]
    if isinstance(fields, list):
        out = {k: v for k, v in out.items() if k in fields}
    return out
