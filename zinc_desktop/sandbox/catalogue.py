"""What the simulated tenants offer: their packages, and what each package checks.

A check id names its package by its place in its environment's list (see check_ids), so a
fresh simulator finds the same package again: add packages at the end, never reorder them.
"""

from __future__ import annotations

from zinc_desktop.core.foundation.environments import Environment

PACKAGES = {
    Environment.STAGING: [
        {"id": "pkg_stg_basic", "name": "Basic DBS + Right to Work", "type": "standard"},
        {"id": "pkg_stg_care", "name": "Enhanced DBS (Healthcare)", "type": "enhanced"},
        {"id": "pkg_stg_fca", "name": "Financial Services (FCA)", "type": "premium"},
    ],
    Environment.PRODUCTION: [
        {"id": "pkg_prd_basic", "name": "Basic DBS + Right to Work", "type": "standard"},
        {"id": "pkg_prd_exec", "name": "Executive Screening", "type": "premium"},
    ],
}
# What each package checks: the results a finished check reports, one per component.
BASIC = ("Identity", "Right to work", "Criminal record (Basic DBS)")
COMPONENTS = {
    "pkg_stg_basic": BASIC,
    "pkg_prd_basic": BASIC,
    "pkg_stg_care": (
        "Identity",
        "Right to work",
        "Criminal record (Enhanced DBS)",
        "Barred list (adults)",
        "Employment history (3 years)",
    ),
    "pkg_stg_fca": (
        "Identity",
        "Right to work",
        "Criminal record (Basic DBS)",
        "Credit check",
        "Directorships",
        "Employment history (5 years)",
    ),
    "pkg_prd_exec": (
        "Identity",
        "Right to work",
        "Criminal record (Standard DBS)",
        "Credit check",
        "Directorships",
        "Professional references",
    ),
}


def components(package_id: str) -> tuple[str, ...]:
    """What a check of this package reports; a package not in the catalogue reads as Basic."""
    return COMPONENTS.get(package_id, BASIC)


def package_index(environment: Environment, package_id: str) -> int | None:
    """The package's place in its environment's catalogue, None when it is not there."""
    ids = [package["id"] for package in PACKAGES[environment]]
    return ids.index(package_id) if package_id in ids else None


def package_at(environment: Environment, index: int) -> str:
    """The id of the catalogue's package at `index`; "" when there is none."""
    packages = PACKAGES[environment]
    return packages[index]["id"] if 0 <= index < len(packages) else ""
