"""Who a check is for: field limits checked before anything is sent, by the CLI and window alike."""

from __future__ import annotations

import re
import unicodedata

from zinc_desktop.core.zinc_api import Candidate

MAX_NAME_LENGTH = 100
MAX_EMAIL_LENGTH = 254  # RFC 5321's limit on a forward path
FIELDS = ("first_name", "last_name", "email", "phone")
FIELD_LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email",
    "phone": "Phone",
}

# One @, a local part without spaces, a domain of dot-separated labels ending in letters.
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
_PHONE = re.compile(r"^\+?[0-9 ()-]{7,20}$")

# A candidate nobody is: for demos on Staging, with an address that can never reach a person.
TEST_CANDIDATE = {
    "first_name": "Alex",
    "last_name": "Example",
    "email": "alex.example@example.com",
    "phone": "",
}


def _control_character(text: str) -> str | None:
    for character in text:
        if unicodedata.category(character) in ("Cc", "Cf", "Zl", "Zp"):
            return f"U+{ord(character):04X}"
    return None


def _name_problem(label: str, value: str) -> str | None:
    text = value.strip()
    if not text:
        return f"{label} is required."
    if len(text) > MAX_NAME_LENGTH:
        return f"{label} is at most {MAX_NAME_LENGTH} characters; this has {len(text)}."
    invisible = _control_character(text)
    if invisible:
        return f"{label} contains an invisible character ({invisible}); retype it."
    return None


def _email_problem(value: str) -> str | None:
    text = value.strip()
    if not text:
        return "Email is required: Zinc emails the candidate an invitation."
    if len(text) > MAX_EMAIL_LENGTH:
        return f"An email address is at most {MAX_EMAIL_LENGTH} characters; this has {len(text)}."
    if _control_character(text) or not _EMAIL.match(text):
        return "This is not an email address (name@example.com)."
    return None


def _phone_problem(value: str) -> str | None:
    text = value.strip()
    if text and not _PHONE.match(text):
        return (
            "A phone number has 7 to 20 digits, spaces, brackets or dashes, and may start with +."
        )
    return None


def candidate_problems(first_name: str, last_name: str, email: str, phone: str) -> dict[str, str]:
    """Field name -> what is wrong with it; empty when the candidate can be sent.

    The messages never repeat the value: a field may hold something the user would not want
    echoed into a log or a screenshot.
    """
    found = {
        "first_name": _name_problem("First name", first_name),
        "last_name": _name_problem("Last name", last_name),
        "email": _email_problem(email),
        "phone": _phone_problem(phone),
    }
    return {field: problem for field, problem in found.items() if problem}


class CandidateRefused(ValueError):
    """The candidate cannot be sent; `problems` maps each field to its reason."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = problems


def make_candidate(first_name: str, last_name: str, email: str, phone: str = "") -> Candidate:
    """A Candidate ready to send, or CandidateRefused saying what to fix."""
    problems = candidate_problems(first_name, last_name, email, phone)
    if problems:
        raise CandidateRefused(problems)
    return Candidate(first_name.strip(), last_name.strip(), email.strip(), phone.strip())
