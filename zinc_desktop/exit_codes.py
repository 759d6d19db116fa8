"""The command line's names and exit codes, as DESIGN.md promises them (light: no imports)."""

EXIT_OK = 0  # valid / done
EXIT_REJECTED = 1  # the key was rejected, or an account is not valid / unknown to unlink
EXIT_USAGE = 2  # bad input or usage; also a refused (unsent) check
EXIT_UNREACHABLE = 3  # Zinc unreachable or at fault; the keyring or data file unusable

COMMANDS = ("verify", "link", "accounts", "unlink", "sandbox", "packages", "checks", "purge")
