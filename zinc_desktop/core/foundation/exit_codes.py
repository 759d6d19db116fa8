"""The command line's names and exit codes, as DESIGN.md promises them (light: no imports)."""

EXIT_OK = 0  # valid / done
EXIT_REJECTED = 1  # the key was rejected, or an account is not valid
EXIT_USAGE = 2  # bad input or usage; also a refused (unsent) check
EXIT_UNREACHABLE = 3  # Zinc unreachable or at fault; the keyring or data file unusable; a bug
EXIT_NO_ACCOUNT = 4  # no linked account has the id (prefix, label) given: the same in every command
EXIT_CLOSED_PIPE = 141  # the reader went away (`| head`): 128 + SIGPIPE, as git and gh end then

COMMANDS = ("verify", "link", "accounts", "unlink", "sandbox", "packages", "checks", "purge")
