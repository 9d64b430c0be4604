"""Counting the calls of a function while a test runs."""

from __future__ import annotations


def calls_to(monkeypatch, name: str, *owners) -> list:
    """Replace ``name`` in each of ``owners`` (modules) by a version that still does the
    work and records its first argument (None without one), in one list for all owners."""
    calls: list = []
    for owner in owners:
        real = getattr(owner, name)

        def counting(*args, _real=real, **kwargs):
            calls.append(args[0] if args else None)
            return _real(*args, **kwargs)

        monkeypatch.setattr(owner, name, counting)
    return calls
