#!/usr/bin/env bash
# Install the unpacked zinc-desktop bundle (the folder this script is in) for this user:
#   the bundle       -> ~/.local/opt/zinc-desktop/
#   launcher         -> ~/.local/bin/zinc-desktop (a symlink; a zinc-desktop you already have
#                       there, from pip or pipx say, is kept)
#   desktop entry    -> $XDG_DATA_HOME/applications/zinc-desktop.desktop
#   icons, metainfo  -> $XDG_DATA_HOME/icons/hicolor/..., $XDG_DATA_HOME/metainfo/
# ($XDG_DATA_HOME is ~/.local/share unless set.) Every file and every folder it creates outside
# the bundle is recorded in ~/.local/opt/zinc-desktop/install-manifest; uninstall.sh removes
# exactly those. A file already where one of these goes that no earlier install made (your own
# menu entry, another app's icon) is never overwritten: it is moved aside to
# <file>.before-zinc-desktop (or .before-zinc-desktop.1, .2, ... when that name is taken), the
# move is recorded and said, and uninstall.sh puts it back. Your accounts, settings, logs and
# keyring entries are never touched. Running it again upgrades (what an earlier install created
# stays recorded, and is replaced in place).
set -euo pipefail

usage() { echo "usage: $0 --user   (install for this user; no system-wide install)"; }
if [ "${1:-}" != "--user" ] || [ $# -ne 1 ]; then
  usage >&2
  exit 2
fi
if [ "$(id -u)" = 0 ] && [ -z "${ZINC_DESKTOP_ALLOW_ROOT:-}" ]; then
  echo "error: this installs for one user; run it as that user, not root" \
    "(to install for root itself: ZINC_DESKTOP_ALLOW_ROOT=1 $0 --user)." >&2
  exit 2
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
if [ ! -x "$here/zinc-desktop" ] || [ ! -d "$here/share/applications" ]; then
  printf 'error: %s is not an unpacked zinc-desktop bundle (no zinc-desktop or share/ here).\n' \
    "$here" >&2
  exit 2
fi
: "${HOME:?HOME is not set}"
data=${XDG_DATA_HOME:-}
case $data in /*) ;; *) data=$HOME/.local/share ;; esac  # the spec: a relative one is ignored
for variable in HOME XDG_DATA_HOME; do
  # A desktop entry and the manifest are lines of text; a tab can be escaped, nothing else can.
  value=${!variable:-}
  case ${value//$'\t'/} in
    *[[:cntrl:]]*)
      echo "error: $variable holds a line break or another control character; a menu entry" \
        "cannot name a path with one. Nothing was installed." >&2
      exit 2 ;;
  esac
done
case $HOME in
  /*) ;;
  *) echo "error: HOME ($HOME) is not an absolute path. Nothing was installed." >&2; exit 2 ;;
esac
opt=$HOME/.local/opt/zinc-desktop
bin_dir=$HOME/.local/bin
launcher=$bin_dir/zinc-desktop
manifest_name=install-manifest
if [ "$here" = "$(cd "$opt" 2>/dev/null && pwd -P || true)" ]; then
  printf 'error: run install.sh from the unpacked bundle, not from %s.\n' "$opt" >&2
  exit 2
fi

contains() {  # contains NEEDLE ITEM...: is NEEDLE one of the items?
  local needle=$1 item
  shift
  for item in "$@"; do
    if [ "$item" = "$needle" ]; then return 0; fi
  done
  return 1
}

# What earlier installs recorded: the folders they created stay ours to remove once empty.
old_roots=() old_dirs=() old_files=() old_backups=()
tab=$'\t'
if [ -f "$opt/$manifest_name" ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    path=${line#*"$tab"}
    case $line in
      "root$tab"/*) old_roots+=("$path") ;;
      "dir$tab"/*) old_dirs+=("$path") ;;
      "file$tab"/*) old_files+=("$path") ;;
      "backup$tab"/*) old_backups+=("$path") ;;
    esac
  done < "$opt/$manifest_name"
elif [ -f "$opt/installed-files" ]; then  # the lists of an install.sh before the manifest
  while IFS= read -r path || [ -n "$path" ]; do
    case $path in "$launcher") ;; /*) old_files+=("$path") ;; esac
  done < "$opt/installed-files"
  if [ -f "$opt/installed-dirs" ]; then
    while IFS= read -r path || [ -n "$path" ]; do
      case $path in /*) old_dirs+=("$path") ;; esac
    done < "$opt/installed-dirs"
  fi
fi

created_dirs=()
make_dir() {  # mkdir -p that records the folders it creates (and only those)
  local dir=$1 missing=()
  while [ ! -d "$dir" ]; do missing=("$dir" "${missing[@]}"); dir=$(dirname -- "$dir"); done
  for dir in "${missing[@]}"; do mkdir -m 0755 -- "$dir"; created_dirs+=("$dir"); done
}

# Desktop Entry Specification escaping. A value of type string escapes \ as \\ (and a tab as
# \t); an Exec argument is double-quoted, with " ` $ \ escaped by a backslash inside the quotes
# (that backslash itself escaped again as a string: \\" \\` \\$ \\\\), and % doubled.
# shellcheck disable=SC1003  # the backslashes in single quotes are meant literally
desktop_string() {
  local in=$1 out="" c i
  for ((i = 0; i < ${#in}; i++)); do
    c=${in:i:1}
    case $c in
      \\) out+='\\' ;;
      "$tab") out+='\t' ;;
      *) out+=$c ;;
    esac
  done
  printf '%s' "$out"
}
# shellcheck disable=SC1003
desktop_exec_arg() {
  local in=$1 out="" c i
  for ((i = 0; i < ${#in}; i++)); do
    c=${in:i:1}
    case $c in
      '"' | '`' | '$') out+='\\'$c ;;
      \\) out+='\\\\' ;;
      %) out+='%%' ;;
      "$tab") out+='\t' ;;
      *) out+=$c ;;
    esac
  done
  printf '"%s"' "$out"
}

# A file where this install puts one of its own, made by no earlier install (not in the
# manifest), is moved aside, never replaced: uninstall.sh puts it back. The backup's name is the
# file's with .before-zinc-desktop (and a number when that is taken) after it, so the manifest
# needs only the backup's path (a path may hold a tab) to know where it goes back.
backups=() set_aside_notes=()
set_aside() {  # set_aside DEST
  local dest=$1 backup number=0 note
  if [ ! -e "$dest" ] && [ ! -L "$dest" ]; then return 0; fi
  if contains "$dest" "${old_files[@]}"; then return 0; fi  # an earlier install's: upgraded
  backup=$dest.before-zinc-desktop
  while [ -e "$backup" ] || [ -L "$backup" ]; do
    number=$((number + 1))
    backup=$dest.before-zinc-desktop.$number
  done
  mv -- "$dest" "$backup"
  backups+=("$backup")
  note="  moved aside $dest (install.sh did not make it): it is now $backup;"
  set_aside_notes+=("$note uninstall.sh puts it back.")
}

# The manifest: this install's files and folders, and what earlier installs recorded.
files=() launcher_ours=0
write_manifest() {
  local path roots=() dirs=() recorded=()
  {
    printf '# zinc-desktop install-manifest: what install.sh created; uninstall.sh removes it.\n'
    for path in "${old_roots[@]}" "$data"; do
      if ! contains "$path" "${roots[@]}"; then roots+=("$path"); printf 'root\t%s\n' "$path"; fi
    done
    for path in "${old_dirs[@]}" "${created_dirs[@]}"; do
      if [ -d "$path" ] && ! contains "$path" "${dirs[@]}"; then
        dirs+=("$path")
        printf 'dir\t%s\n' "$path"
      fi
    done
    for path in "${files[@]}" "${old_files[@]}"; do  # an earlier version's file stays recorded
      if [ -f "$path" ] && ! contains "$path" "${recorded[@]}"; then
        recorded+=("$path")
        printf 'file\t%s\n' "$path"
      fi
    done
    for path in "${old_backups[@]}" "${backups[@]}"; do  # until uninstall.sh puts them back
      if { [ -e "$path" ] || [ -L "$path" ]; } && ! contains "$path" "${recorded[@]}"; then
        recorded+=("$path")
        printf 'backup\t%s\n' "$path"
      fi
    done
    if [ "$launcher_ours" = 1 ]; then printf 'link\t%s\n' "$launcher"; fi
  } > "$opt/$manifest_name.new"
  mv -f -- "$opt/$manifest_name.new" "$opt/$manifest_name"
}

# If the install stops (an error, Ctrl+C), half-made pieces go, and once the new bundle is in
# place its manifest records what was created so far, so uninstall.sh can still remove it.
staging="" entry_new="" manifest_due=0
cleanup() {
  if [ -n "$staging" ]; then rm -rf -- "$staging"; fi
  if [ -n "$entry_new" ]; then rm -f -- "$entry_new"; fi
  if [ "$manifest_due" = 1 ]; then write_manifest || true; fi
}
trap cleanup EXIT

# 1. The bundle: copied beside the old one, then swapped in (a running copy keeps its files).
make_dir "$(dirname -- "$opt")"
staging=$(mktemp -d "$opt.new.XXXXXX")
cp -a "$here/." "$staging/"
rm -f -- "$staging/$manifest_name"
chmod 0755 "$staging"
if [ -e "$opt" ] || [ -L "$opt" ]; then
  old=$(mktemp -d "$opt.old.XXXXXX")
  mv -- "$opt" "$old/bundle"
  mv -- "$staging" "$opt"
  rm -rf -- "$old"
else
  mv -- "$staging" "$opt"
fi
staging=""
manifest_due=1

# 2. Icons, metainfo, desktop entry, launcher.
install_file() {  # install_file SOURCE DEST
  make_dir "$(dirname -- "$2")"
  set_aside "$2"
  install -m 0644 -- "$1" "$2"
  files+=("$2")
}
while IFS= read -r -d '' icon; do
  install_file "$icon" "$data/icons/${icon#"$opt/share/icons/"}"
done < <(find "$opt/share/icons" -type f -print0)
for metainfo in "$opt"/share/metainfo/*.metainfo.xml; do
  install_file "$metainfo" "$data/metainfo/$(basename -- "$metainfo")"
done

# The entry names the program by its absolute path: ~/.local/bin is not on every desktop
# session's PATH. GLib (GNOME) looks for the program before it turns %% into %, so a path with
# a % in it is handed to sh as an argument instead, which GLib expands as the spec says.
program=$opt/zinc-desktop
exec_line=$(desktop_exec_arg "$program")
# shellcheck disable=SC2016  # $0 and $@ are for that sh, not this script
case $program in
  *%*) exec_line='/bin/sh -c "exec \\"\\$0\\" \\"\\$@\\"" '$exec_line ;;
esac
entry=$data/applications/zinc-desktop.desktop
make_dir "$(dirname -- "$entry")"
entry_new=$(mktemp "$entry.XXXXXX")
while IFS= read -r line || [ -n "$line" ]; do
  case $line in
    "Exec=zinc-desktop" | "Exec=zinc-desktop "*) line="Exec=$exec_line${line#Exec=zinc-desktop}" ;;
    "TryExec=zinc-desktop") line="TryExec=$(desktop_string "$program")" ;;
  esac
  printf '%s\n' "$line"
done < "$opt/share/applications/zinc-desktop.desktop" > "$entry_new"
chmod 0644 "$entry_new"
set_aside "$entry"
mv -f -- "$entry_new" "$entry"
entry_new=""
files+=("$entry")

# The launcher: the symlink to the bundle is ours (made by this install or an earlier one);
# anything else already there (pip's or pipx's script, your own, a link elsewhere) is kept.
make_dir "$bin_dir"
launcher_note=""
if [ -L "$launcher" ] && [ "$(readlink -- "$launcher")" = "$program" ]; then
  launcher_ours=1
elif [ -e "$launcher" ] || [ -L "$launcher" ]; then
  launcher_note="  kept your own $launcher (install.sh did not make it; pip or pipx may have):"
  launcher_note+=" this install runs as $program, and from the menu."
else
  ln -s -- "$program" "$launcher"
  launcher_ours=1
fi

# 3. The manifest, final.
write_manifest
manifest_due=0

# 4. Tell the desktop. Only caches that already exist are refreshed (we create none, so
# uninstall leaves nothing behind); GTK rescans an icon folder whose time changed.
touch -- "$data/icons/hicolor"
if [ -f "$data/icons/hicolor/icon-theme.cache" ] && command -v gtk-update-icon-cache >/dev/null; then
  gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
fi
if [ -f "$data/applications/mimeinfo.cache" ] && command -v update-desktop-database >/dev/null; then
  update-desktop-database -q "$data/applications" || true
fi

printf 'Installed zinc-desktop %s in %s\n' "$("$program" --version | awk '{print $2}')" "$opt"
printf '  menu entry: %s\n' "$entry"
for note in "${set_aside_notes[@]}"; do printf '%s\n' "$note"; done
if [ "$launcher_ours" = 1 ]; then
  printf '  command:    %s\n' "$launcher"
  case ":$PATH:" in
    *":$bin_dir:"*) ;;
    *) printf '  (%s is not on your PATH; the menu entry works without it.)\n' "$bin_dir" ;;
  esac
else
  printf '%s\n' "$launcher_note"
fi
printf 'Remove it with: %s/uninstall.sh\n' "$opt"
