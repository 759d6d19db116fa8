"""Who a check is for: field limits checked before anything is sent, by the CLI and window alike."""

from __future__ import annotations

import json
import re
import unicodedata

from zinc_desktop.core.foundation.api_key import looks_like_a_key
from zinc_desktop.core.foundation.errors import InputRefused
from zinc_desktop.core.zinc.api import Candidate

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
    values = {"first_name": first_name, "last_name": last_name, "email": email, "phone": phone}
    for field, value in values.items():
        if not found[field] and looks_like_a_key(value):
            found[field] = (
                f"{FIELD_LABELS[field]} holds an API key (32 hexadecimal characters); "
                "remove it. Nothing was sent."
            )
    return {field: problem for field, problem in found.items() if problem}


class CandidateRefused(InputRefused):
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


MAX_CANDIDATE_BYTES = 64 * 1024
REQUIRED_FIELDS = ("first_name", "last_name", "email")


def candidate_from_json(data: bytes) -> Candidate:
    """A candidate from a JSON object (`first_name`, `last_name`, `email`, optional `phone`),
    as `checks start --candidate FILE|-` reads it; InputRefused saying what is wrong, never
    repeating a value (it is a person's details)."""
    if len(data) > MAX_CANDIDATE_BYTES:
        raise InputRefused(
            f"The candidate file is larger than {MAX_CANDIDATE_BYTES // 1024} KB; it should hold "
            "one small JSON object."
        )
    for encoding in ("utf-8-sig", "latin-1"):  # JSON is UTF-8; an old editor's Latin-1 too
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise InputRefused(
            "The candidate is not valid JSON. Give an object such as "
            '{"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}.'
        ) from None
    if not isinstance(value, dict):
        raise InputRefused(
            f"The candidate must be a JSON object with {', '.join(FIELDS)}, not a "
            f"{type(value).__name__}."
        )
    unknown = [name for name in value if name not in FIELDS]
    if unknown:  # not named: a name typed as a field name is still a name
        raise InputRefused(
            f"The candidate has {len(unknown)} field{'s' if len(unknown) != 1 else ''} this "
            f"command does not know; it takes {', '.join(FIELDS)} (phone optional)."
        )
    missing = [name for name in REQUIRED_FIELDS if value.get(name) in (None, "")]
    if missing:
        raise InputRefused(f"The candidate needs {', '.join(missing)}.")
    wrong = [
        name for name in FIELDS if value.get(name) is not None and not isinstance(value[name], str)
    ]
    if wrong:
        raise InputRefused(f"These candidate fields must be text: {', '.join(wrong)}.")
    return make_candidate(
        value["first_name"], value["last_name"], value["email"], value.get("phone") or ""
    )
