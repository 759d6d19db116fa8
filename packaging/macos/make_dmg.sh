#!/usr/bin/env bash
# Pack "Zinc Desktop.app" into a compressed disk image with a link to /Applications:
#   bash packaging/macos/make_dmg.sh "dist/Zinc Desktop.app" dist/zinc-desktop-1.0-macos-arm64.dmg [IDENTITY]
# With an identity the image itself is signed too (notarize.sh then submits it). macOS only.
set -euo pipefail
app=${1:?usage: make_dmg.sh APP DMG [IDENTITY]}
dmg=${2:?usage: make_dmg.sh APP DMG [IDENTITY]}
identity=${3:-}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
rm -f "$dmg"
# hdiutil fails now and then with "Resource busy" on hosted macOS runners (actions/runner-images
# #7522): a few tries, a pause between them.
for attempt in 1 2 3 4 5; do
  if hdiutil create -volname "Zinc Desktop" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$dmg"; then
    break
  fi
  if [ "$attempt" = 5 ]; then
    echo "error: hdiutil create failed 5 times" >&2
    exit 1
  fi
  sleep $((attempt * 3))
done
if [ -n "$identity" ]; then
  codesign --force --timestamp --sign "$identity" "$dmg"
fi
hdiutil verify "$dmg"
echo "Disk image: $dmg ($(du -h "$dmg" | cut -f1))"
