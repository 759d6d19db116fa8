"""Typed operations: each thing the app asks of Zinc or of its stores, carrying its own rules.

An operation is a frozen description (which account, which check, what to send); its
`run(context, cancel)` does the work on whichever thread calls it and returns a typed result.
The window runs operations on its TaskRunner, the CLI runs them directly: both meet the same
rules, because the rules live in the operation (base.py says how; checks.py and accounts.py
hold them).
"""
