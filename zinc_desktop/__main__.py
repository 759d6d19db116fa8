"""`python -m zinc_desktop` runs the same entry point as the console script."""

import sys

from zinc_desktop.app import main

sys.exit(main())
