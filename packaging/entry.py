"""The frozen bundle's entry script: the same entry point as the console script."""

import sys

from zinc_desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
