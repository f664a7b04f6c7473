"""``python -m crossmodal``: the same as the ``crossmodal`` command (crossmodal.cli)."""

import sys

from crossmodal.cli import main

sys.exit(main())
