"""The window: widgets, the accounts table model and the worker-thread plumbing. No rules."""
