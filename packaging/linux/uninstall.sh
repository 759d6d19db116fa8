#!/usr/bin/env bash
# Remove what install.sh --user put in place: the files listed in
# ~/.local/opt/zinc-desktop/installed-files, the folders it created if they are empty again,
# and ~/.local/opt/zinc-desktop itself. Your accounts, settings, logs and keyring entries
# (zinc-desktop's data folders and the OS keyring) are left exactly as they are.
set -euo pipefail

: "${HOME:?HOME is not set}"
opt="$HOME/.local/opt/zinc-desktop"
if [ ! -f "$opt/installed-files" ]; then
  echo "zinc-desktop is not installed for $(id -un) (no $opt/installed-files)." >&2
  exit 1
fi

removed=0
while IFS= read -r path; do
  [ -n "$path" ] || continue
  case "$path" in
    "$HOME"/*) ;;
    *) echo "skipping $path: outside $HOME" >&2; continue ;;
  esac
  if [ -L "$path" ]; then
    # The launcher: only our own symlink goes.
    if [ "$(readlink "$path")" = "$opt/zinc-desktop" ]; then rm -f "$path"; removed=$((removed + 1)); fi
  elif [ -f "$path" ]; then
    rm -f "$path"
    removed=$((removed + 1))
  fi
done < "$opt/installed-files"

dirs=()
if [ -f "$opt/installed-dirs" ]; then mapfile -t dirs < "$opt/installed-dirs"; fi
data="${XDG_DATA_HOME:-$HOME/.local/share}"
if [ -d "$data/icons/hicolor" ]; then touch "$data/icons/hicolor"; fi
if [ -f "$data/icons/hicolor/icon-theme.cache" ] && command -v gtk-update-icon-cache >/dev/null; then
  gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
fi
if [ -f "$data/applications/mimeinfo.cache" ] && command -v update-desktop-database >/dev/null; then
  update-desktop-database -q "$data/applications" || true
fi

rm -rf "$opt"
# Folders install.sh created, deepest first, each only if nothing else is in it now.
for ((i = ${#dirs[@]} - 1; i >= 0; i--)); do
  dir=${dirs[i]}
  case "$dir" in "$HOME"/*) ;; *) continue ;; esac
  # The icon size folders are created as a tree; remove empty leaves under each first.
  if [ -d "$dir" ]; then find "$dir" -depth -type d -empty -delete 2>/dev/null || true; fi
done
echo "Removed zinc-desktop ($removed files and $opt). Your accounts, settings and keys are kept."
