#!/usr/bin/env bash
# Remove what install.sh --user created, as ~/.local/opt/zinc-desktop/install-manifest lists it:
# its files; the launcher only if it is still the symlink install made; the folders install
# created, deepest first and only if they are empty now; then the bundle. A file install moved
# aside (<file>.before-zinc-desktop[.N]: yours, or another app's, where install put its own) is
# put back where it was. No other file or folder is touched, even an empty one. Your accounts,
# settings, logs and keyring entries stay, unless you ask for --purge:
#   --purge   also remove those, for the normal and the --sandbox profile: every linked account
#             and its key in the keyring, and the files zinc-desktop wrote in its data,
#             settings, state and log folders, with each folder left empty (`zinc-desktop
#             purge`; anything else there stays). It asks you to type yes; --yes confirms
#             instead (needed when stdin is not a terminal).
# Exit: 0 removed; 1 not installed; 2 bad usage, or --purge not confirmed (nothing removed);
# 3 the purge failed (nothing else removed).
set -euo pipefail

usage() { echo "usage: $0 [--purge [--yes]]"; }
purge=0 yes=0
for arg in "$@"; do
  case $arg in
    --purge) purge=1 ;;
    --yes) yes=1 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
if [ "$yes" = 1 ] && [ "$purge" = 0 ]; then
  echo "error: --yes confirms --purge; without --purge there is nothing to confirm." >&2
  usage >&2
  exit 2
fi

: "${HOME:?HOME is not set}"
opt=$HOME/.local/opt/zinc-desktop
program=$opt/zinc-desktop
manifest=$opt/install-manifest
if [ ! -f "$manifest" ]; then
  if [ -f "$opt/installed-files" ]; then
    printf 'error: %s was installed by an older install.sh; run %s/uninstall.sh.\n' \
      "$opt" "$opt" >&2
  else
    printf 'zinc-desktop is not installed for %s (no %s).\n' "$(id -un)" "$manifest" >&2
  fi
  exit 1
fi

tab=$'\t'
roots=() files=() dirs=() backups=() link=""
while IFS= read -r line || [ -n "$line" ]; do
  path=${line#*"$tab"}
  case $line in
    "root$tab"/*) roots+=("$path") ;;
    "file$tab"/*) files+=("$path") ;;
    "dir$tab"/*) dirs+=("$path") ;;
    "backup$tab"/*) backups+=("$path") ;;
    "link$tab"/*) link=$path ;;
  esac
done < "$manifest"

no_dots() { case $1 in */../* | */..) return 1 ;; *) return 0 ;; esac; }
recorded_place() {  # a file goes only from HOME or a data folder an install used
  local root
  no_dots "$1" || return 1
  for root in "$HOME" "${roots[@]}"; do
    case $1 in "$root"/*) return 0 ;; esac
  done
  return 1
}

if [ "$purge" = 1 ]; then
  if [ "$yes" = 0 ]; then
    if [ ! -t 0 ]; then
      echo "refused: --purge deletes your zinc-desktop accounts, keys, settings and logs;" \
        "confirm with --yes (stdin is not a terminal). Nothing was removed." >&2
      exit 2
    fi
    echo "This also deletes every zinc-desktop account and its key in your keyring, and" \
      "zinc-desktop's data, settings and logs (the normal and the --sandbox profile). It" \
      "cannot be undone. Close zinc-desktop first." >&2
    printf 'Type yes to go on: ' >&2
    answer=""
    read -r answer || true
    if [ "$answer" != yes ]; then
      echo "Not confirmed; nothing was removed." >&2
      exit 2
    fi
  fi
  # The program knows where its data and keys are; it runs before the bundle goes. The
  # sandbox profile first: its folders sit inside the normal profile's.
  if ! "$program" --sandbox purge --yes || ! "$program" purge --yes; then
    echo "error: the purge above failed; nothing else was removed. Fix what it says and run" \
      "$0 --purge again (or without --purge to keep your data)." >&2
    exit 3
  fi
fi

removed=0
for path in "${files[@]}"; do
  if recorded_place "$path" && [ -f "$path" ] && [ ! -L "$path" ]; then
    rm -f -- "$path"
    removed=$((removed + 1))
  fi
done
if [ -n "$link" ] && recorded_place "$link"; then
  if [ -L "$link" ] && [ "$(readlink -- "$link")" = "$program" ]; then
    rm -f -- "$link"
    removed=$((removed + 1))
  elif [ -e "$link" ] || [ -L "$link" ]; then
    printf 'kept %s: it is no longer the link to %s that install.sh made.\n' "$link" "$program"
  fi
fi

# What install moved aside goes back, where nothing is in its place now.
for backup in "${backups[@]}"; do
  case $backup in
    *.before-zinc-desktop) original=${backup%.before-zinc-desktop} ;;
    *.before-zinc-desktop.[1-9]*) original=${backup%.before-zinc-desktop.*} ;;
    *) continue ;;
  esac
  if ! recorded_place "$backup" || { [ ! -e "$backup" ] && [ ! -L "$backup" ]; }; then
    continue
  fi
  if [ -e "$original" ] || [ -L "$original" ]; then
    printf 'kept %s: it was %s, and something is there again.\n' "$backup" "$original"
  else
    mv -- "$backup" "$original"
    printf 'put back %s (install.sh had moved it aside).\n' "$original"
  fi
done

for root in "${roots[@]}"; do  # the desktop's caches, where they exist
  if [ -d "$root/icons/hicolor" ]; then touch -- "$root/icons/hicolor"; fi
  if [ -f "$root/icons/hicolor/icon-theme.cache" ] && command -v gtk-update-icon-cache >/dev/null; then
    gtk-update-icon-cache -q -t "$root/icons/hicolor" || true
  fi
  if [ -f "$root/applications/mimeinfo.cache" ] && command -v update-desktop-database >/dev/null; then
    update-desktop-database -q "$root/applications" || true
  fi
done

rm -rf -- "$opt"

# The folders install.sh created, deepest first, each only if nothing is in it now.
deepest=0
for dir in "${dirs[@]}"; do
  slashes=${dir//[!\/]/}
  if [ ${#slashes} -gt "$deepest" ]; then deepest=${#slashes}; fi
done
for ((depth = deepest; depth > 0; depth--)); do
  for dir in "${dirs[@]}"; do
    slashes=${dir//[!\/]/}
    if [ ${#slashes} -eq "$depth" ] && no_dots "$dir" && [ -d "$dir" ] && [ ! -L "$dir" ]; then
      rmdir -- "$dir" 2>/dev/null || true
    fi
  done
done

if [ "$purge" = 1 ]; then
  printf 'Removed zinc-desktop (%d files and %s), and its accounts, keys, settings and logs.\n' \
    "$removed" "$opt"
else
  printf 'Removed zinc-desktop (%d files and %s). Your accounts, settings and keys are kept.\n' \
    "$removed" "$opt"
fi
