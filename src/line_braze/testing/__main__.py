"""``python -m line_braze.testing``: serve both emulators, as ``line-braze emulators`` does."""

from line_braze.testing._serve import main

if __name__ == "__main__":
    raise SystemExit(main())
