#!/usr/bin/env bash
# Submit a signed disk image to Apple's notary service, wait, then staple the ticket to it:
#   APPLE_ID=... TEAM_ID=... APP_PASSWORD=... bash packaging/macos/notarize.sh dist/zinc-desktop-*.dmg
# APP_PASSWORD is an app-specific password of the Apple ID. The log of a rejection is printed.
set -euo pipefail
dmg=${1:?usage: notarize.sh DMG}
: "${APPLE_ID:?APPLE_ID is not set}" "${TEAM_ID:?TEAM_ID is not set}" "${APP_PASSWORD:?APP_PASSWORD is not set}"
result=$(xcrun notarytool submit "$dmg" --apple-id "$APPLE_ID" --team-id "$TEAM_ID" \
  --password "$APP_PASSWORD" --wait --output-format json)
echo "$result"
id=$(printf '%s' "$result" | plutil -extract id raw -o - -)
status=$(printf '%s' "$result" | plutil -extract status raw -o - -)
if [ "$status" != "Accepted" ]; then
  xcrun notarytool log "$id" --apple-id "$APPLE_ID" --team-id "$TEAM_ID" --password "$APP_PASSWORD"
  echo "error: notarization $status" >&2
  exit 1
fi
xcrun stapler staple "$dmg"
xcrun stapler validate "$dmg"
spctl --assess --type open --context context:primary-signature --verbose=2 "$dmg"
