"""zinc-desktop: link, prove and demo Zinc Partner API keys."""

import logging as _logging

__version__ = "0.1.0"
APP_NAME = "zinc-desktop"

# A library-style default: without the app's file handler, nothing reaches stderr on its own.
_logging.getLogger("zinc_desktop").addHandler(_logging.NullHandler())
