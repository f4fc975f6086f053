"""``python -m line_braze``: the same as the ``line-braze`` command."""

from line_braze.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
