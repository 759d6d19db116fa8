"""zinc-desktop: link, prove and demo Zinc Partner API keys."""

__version__ = "0.1.0"
APP_NAME = "zinc-desktop"
