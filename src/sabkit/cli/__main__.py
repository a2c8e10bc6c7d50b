"""`python -m sabkit.cli`: the same as the `sabkit` command."""

import sys

from sabkit.cli.main import main

sys.exit(main())
