"""ETags and revalidation (RFC 9110): a simulation's answer is a pure function of its config and the app's
version, so its ETag is known before any work, and a client's cached copy is answered 304 without any."""

from __future__ import annotations

import hashlib

from fastapi import Request

import gradflow


def config_etag(canonical: str) -> str:
    """Weak ETag of an answer's canonical config and the app version: weak because the body itself differs
    (e.g. in `elapsed_ms`), so it promises the same meaning, not the same bytes."""
    text = f"{gradflow.__version__}\n{canonical}".encode()
    return f'W/"{hashlib.blake2b(text, digest_size=16).hexdigest()}"'


def file_etag(label: str, size: int, *, gzipped: bool) -> str:
    """Strong ETag of a file that changes only with its label (name and version) and size; one per coding, as
    RFC 9110 asks of different representations."""
    return f'"{label}-{size}{"-gzip" if gzipped else ""}"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison of `etag` against an If-None-Match header (a list, or `*`)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    opaque = etag.removeprefix("W/")
    return any(candidate.strip().removeprefix("W/") == opaque for candidate in if_none_match.split(","))


def is_fresh(request: Request, etag: str) -> bool:
    """Whether the client's cached copy (If-None-Match) is still this `etag`: answer 304 without the work."""
    return etag_matches(request.headers.get("if-none-match"), etag)
