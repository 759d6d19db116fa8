#!/usr/bin/env bash
# Sign "Zinc Desktop.app" with a Developer ID, inside out, for notarization:
#   bash packaging/macos/sign.sh "Developer ID Application: NAME (TEAMID)" "dist/Zinc Desktop.app"
# Apple's notary service rejects a bundle in which any Mach-O file is unsigned or signed without
# the hardened runtime and a secure timestamp; `codesign --deep` on the .app misses the binaries
# of the Qt frameworks PyInstaller places in Contents/Frameworks (pyinstaller #8927). So every
# Mach-O file is signed first, deepest path first, then every framework as a bundle, then the
# app with its entitlements. Runs on macOS only (codesign).
set -euo pipefail
identity=${1:?usage: sign.sh IDENTITY APP}
app=${2:?usage: sign.sh IDENTITY APP}
here=$(cd "$(dirname "$0")" && pwd)
entitlements="$here/entitlements.plist"
[ -d "$app/Contents/MacOS" ] || { echo "error: $app is not an .app bundle" >&2; exit 2; }

sign() {
  codesign --force --timestamp --options runtime --sign "$identity" "$@"
}

count=0
# Every Mach-O file but the program (libraries, Python extensions, framework binaries): leaves,
# so their order does not matter; what contains them is signed after.
while IFS= read -r -d '' file; do
  if file -b "$file" | grep -q 'Mach-O'; then
    sign "$file"
    count=$((count + 1))
  fi
done < <(find "$app/Contents" -type f ! -path "$app/Contents/MacOS/zinc-desktop" -print0)

# The frameworks as bundles (their Info.plist and resources sealed), deepest path first.
while IFS= read -r -d '' framework; do
  sign "$framework"
done < <(find "$app/Contents" -type d -name '*.framework' -print0 | sort -zr)

# The program, then the app itself: hardened runtime with the entitlements Python needs.
sign --entitlements "$entitlements" "$app/Contents/MacOS/zinc-desktop"
sign --entitlements "$entitlements" "$app"
codesign --verify --deep --strict --verbose=2 "$app"
echo "Signed $count Mach-O files, the frameworks and $app as $identity"
