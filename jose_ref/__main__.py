"""`python -m jose_ref`: the jose-ref command line (see jose_ref.cli)."""

from __future__ import annotations

import sys

from jose_ref.cli import main

sys.exit(main())
