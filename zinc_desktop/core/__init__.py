"""Every rule and I/O adapter of zinc-desktop, free of Qt so the CLI and the GUI share it."""
