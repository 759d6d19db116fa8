#!/usr/bin/env bash
# Which Debian packages do Qt's X11 plugin and the bundle need from the system? Checked with
# ldd in a fresh Debian 12 minbase root (no xcb library preinstalled), as root:
#
#   sudo packaging/check_system_libs.sh [ROOT]     (default /tmp/zinc-desktop-minroot)
#
# Needs debootstrap (apt install debootstrap), build/package-venv and dist/zinc-desktop (both
# made by `python3 dev.py package`). Uses this machine's Debian mirror. Steps:
#  1. the wheel's Qt (PySide6-Essentials) in the bare root: what ldd cannot find, and the
#     package of each (dpkg -S on this machine);
#  2. packaging/linux/debian-qt-libs.txt installed into the root: ldd must find everything;
#  3. the bundle in the bare part of the same root: only the graphics stack is the system's.
# Exits non-zero if step 2 still misses a library.
set -euo pipefail
cd "$(dirname "$0")/.."
root=${1:-/tmp/zinc-desktop-minroot}
site=build/package-venv/lib/python3.11/site-packages
list=packaging/linux/debian-qt-libs.txt
[ "$(id -u)" = 0 ] || { echo "run as root (debootstrap and chroot)" >&2; exit 2; }
if [ ! -d "$site/PySide6" ] || [ ! -x dist/zinc-desktop/zinc-desktop ]; then
  echo "build first: python3 dev.py package" >&2
  exit 2
fi

mirror=$(grep -hoE '^(URIs:|deb) *https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list.d/*.sources \
  /etc/apt/sources.list 2>/dev/null | grep -oE 'https?://[^ ]+' | head -1 || true)
mirror=${mirror:-http://deb.debian.org/debian}
if [ ! -x "$root/usr/bin/apt-get" ]; then
  echo "debootstrap --variant=minbase bookworm $root $mirror"
  debootstrap --variant=minbase bookworm "$root" "$mirror" >/dev/null
fi
rm -rf "$root/opt/wheel" "$root/opt/bundle"
mkdir -p "$root/opt/wheel" "$root/opt/bundle"
cp -a "$site/PySide6" "$site/shiboken6" "$root/opt/wheel/"
cp -a dist/zinc-desktop "$root/opt/bundle/"

# What the app loads from the wheel: the Python modules it imports and the plugins it uses.
wheel_files() {
  (cd "$root" && find opt/wheel/PySide6 -maxdepth 1 \
      \( -name 'QtCore.*.so' -o -name 'QtGui.*.so' -o -name 'QtWidgets.*.so' \
         -o -name 'QtNetwork.*.so' -o -name 'QtSvg.*.so' \) ;
   find opt/wheel/PySide6/Qt/plugins/platforms/libqxcb.so opt/wheel/PySide6/Qt/plugins/xcbglintegrations \
     opt/wheel/PySide6/Qt/plugins/iconengines opt/wheel/PySide6/Qt/plugins/imageformats/libqsvg.so \
     opt/wheel/PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so \
     opt/wheel/PySide6/Qt/plugins/platforminputcontexts/libcomposeplatforminputcontextplugin.so \
     -name '*.so')
}
missing() {  # missing [LD_LIBRARY_PATH] FILE...: the sonames ldd cannot find, sorted
  local path=$1; shift
  for f in "$@"; do chroot "$root" env LD_LIBRARY_PATH="$path" ldd "/$f" 2>/dev/null; done \
    | awk '/not found/ {print $1}' | sort -u
}

mapfile -t files < <(wheel_files)
echo "== 1. the wheel's Qt in a bare Debian 12 minbase: ldd cannot find"
for lib in $(missing "" "${files[@]}"); do
  printf '  %-28s %s\n' "$lib" "$(dpkg -S "*/$lib" 2>/dev/null | head -1 | cut -d: -f1 || echo '?')"
done
echo "== 3. the bundle (dist/zinc-desktop) in the same bare root: ldd cannot find"
mapfile -t bundled < <(cd "$root" && find opt/bundle -name '*.so*' -type f)
for lib in $(missing /opt/bundle/zinc-desktop/_internal "${bundled[@]}"); do
  printf '  %-28s %s\n' "$lib" "$(dpkg -S "*/$lib" 2>/dev/null | head -1 | cut -d: -f1 || echo '?')"
done

echo "== 2. with $list installed"
chroot "$root" apt-get update -qq
# shellcheck disable=SC2046  # one package a line
chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  $(grep -v "^#" "$list") >/dev/null 2>&1
still=$(missing "" "${files[@]}")
if [ -n "$still" ]; then
  echo "  still missing: $still"
  exit 1
fi
echo "  ldd finds every library of the X11 plugin, the Qt modules and the app's plugins"
