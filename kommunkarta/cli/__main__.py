"""``python -m kommunkarta.cli``: the ``kommunkarta`` command."""

from . import main

if __name__ == "__main__":
    raise SystemExit(main())
