#!/usr/bin/env bash
# Install the unpacked zinc-desktop bundle (the folder this script is in) for this user:
#   the bundle       -> ~/.local/opt/zinc-desktop/
#   launcher         -> ~/.local/bin/zinc-desktop (a symlink)
#   desktop entry    -> $XDG_DATA_HOME/applications/zinc-desktop.desktop
#   icons, metainfo  -> $XDG_DATA_HOME/icons/hicolor/..., $XDG_DATA_HOME/metainfo/
# ($XDG_DATA_HOME is ~/.local/share unless set.) Every file put outside the bundle is listed in
# ~/.local/opt/zinc-desktop/installed-files, which uninstall.sh removes and nothing else: your
# accounts, settings, logs and keyring entries are never touched. Running it again upgrades.
set -euo pipefail

usage() { echo "usage: $0 --user   (install for this user; no system-wide install)"; }
if [ "${1:-}" != "--user" ] || [ $# -ne 1 ]; then
  usage >&2
  exit 2
fi
if [ "$(id -u)" = 0 ] && [ -z "${ZINC_DESKTOP_ALLOW_ROOT:-}" ]; then
  echo "error: this installs for one user; run it as that user, not root." >&2
  exit 2
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
if [ ! -x "$here/zinc-desktop" ] || [ ! -d "$here/share/applications" ]; then
  echo "error: $here is not an unpacked zinc-desktop bundle (no zinc-desktop or share/ here)." >&2
  exit 2
fi
: "${HOME:?HOME is not set}"
opt="$HOME/.local/opt/zinc-desktop"
bin_dir="$HOME/.local/bin"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
case "$opt" in
  *[\"\`\$\\%]*|*$'\n'*)
    echo "error: the install path $opt holds a character a desktop entry cannot quote." >&2
    exit 2 ;;
esac
if [ "$here" = "$(cd "$opt" 2>/dev/null && pwd -P || true)" ]; then
  echo "error: run install.sh from the unpacked bundle, not from $opt." >&2
  exit 2
fi

created_dirs=()
make_dir() {  # mkdir -p that remembers which folders it created, for uninstall.sh
  local dir=$1 missing=()
  while [ ! -d "$dir" ]; do missing=("$dir" "${missing[@]}"); dir=$(dirname "$dir"); done
  for dir in "${missing[@]}"; do mkdir -m 0755 "$dir"; created_dirs+=("$dir"); done
}

# 1. The bundle: copied beside the old one, then swapped in (a running copy keeps its files).
make_dir "$(dirname "$opt")"
staging=$(mktemp -d "$opt.new.XXXXXX")
cp -a "$here/." "$staging/"
chmod 0755 "$staging"
previous_dirs=""
if [ -f "$opt/installed-dirs" ]; then previous_dirs=$(cat "$opt/installed-dirs"); fi
if [ -e "$opt" ]; then
  old=$(mktemp -d "$opt.old.XXXXXX")
  mv "$opt" "$old/bundle"
  mv "$staging" "$opt"
  rm -rf "$old"
else
  mv "$staging" "$opt"
fi

# 2. Desktop entry, metainfo, icons, launcher; each recorded in the manifest.
manifest="$opt/installed-files"
: > "$manifest"
install_file() {  # install_file SOURCE DEST
  make_dir "$(dirname "$2")"
  install -m 0644 "$1" "$2"
  printf '%s\n' "$2" >> "$manifest"
}
while IFS= read -r -d '' icon; do
  install_file "$icon" "$data/icons/${icon#"$opt/share/icons/"}"
done < <(find "$opt/share/icons" -type f -print0)
for metainfo in "$opt"/share/metainfo/*.metainfo.xml; do
  install_file "$metainfo" "$data/metainfo/$(basename "$metainfo")"
done
entry="$data/applications/zinc-desktop.desktop"
make_dir "$(dirname "$entry")"
# Exec gets the absolute path: ~/.local/bin is not on every desktop session's PATH.
sed -e "s|^Exec=zinc-desktop|Exec=\"$opt/zinc-desktop\"|" \
    -e "s|^TryExec=zinc-desktop|TryExec=$opt/zinc-desktop|" \
    "$opt/share/applications/zinc-desktop.desktop" > "$entry"
chmod 0644 "$entry"
printf '%s\n' "$entry" >> "$manifest"
make_dir "$bin_dir"
ln -sfn "$opt/zinc-desktop" "$bin_dir/zinc-desktop"
printf '%s\n' "$bin_dir/zinc-desktop" >> "$manifest"
# Folders this install created (deepest last), plus those an earlier install created.
{ [ -n "$previous_dirs" ] && printf '%s\n' "$previous_dirs"
  [ ${#created_dirs[@]} -gt 0 ] && printf '%s\n' "${created_dirs[@]}"
  true; } | awk 'NF && !seen[$0]++' > "$opt/installed-dirs"

# 3. Tell the desktop. Only caches that already exist are refreshed (we create none, so
# uninstall leaves nothing behind); GTK rescans an icon folder whose time changed.
touch "$data/icons/hicolor"
if [ -f "$data/icons/hicolor/icon-theme.cache" ] && command -v gtk-update-icon-cache >/dev/null; then
  gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
fi
if [ -f "$data/applications/mimeinfo.cache" ] && command -v update-desktop-database >/dev/null; then
  update-desktop-database -q "$data/applications" || true
fi

echo "Installed zinc-desktop $("$opt/zinc-desktop" --version | awk '{print $2}') in $opt"
echo "  menu entry: $entry"
echo "  command:    $bin_dir/zinc-desktop"
case ":$PATH:" in
  *":$bin_dir:"*) ;;
  *) echo "  ($bin_dir is not on your PATH; the menu entry works without it.)" ;;
esac
echo "Remove it with: $opt/uninstall.sh"
