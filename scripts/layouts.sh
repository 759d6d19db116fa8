#!/usr/bin/env bash
# Renders every layout issue 15 asks to hold, into docs/layouts/: Accounts and Demo-while-
# presenting, at 1024x640 and at 2x on a 1280x800 screen (the size the app opens at there), in
# light and dark; plus presenting with 50 accounts. Needs xvfb-run; run from the repository:
#     bash scripts/layouts.sh
set -euo pipefail
cd "$(dirname "$0")/.."
python=".venv/bin/python"
[ -x "$python" ] || python=python3
out=docs/layouts
mkdir -p "$out"
shoot() { xvfb-run -a -s "-screen 0 1280x800x24" "$python" scripts/screenshot.py "$@"; }
for theme in light dark; do
  dark=(); [ "$theme" = dark ] && dark=(--dark)
  for page in accounts present; do
    shoot --page "$page" "${dark[@]}" --size 1024x640 --out "$out/$page-$theme-1024x640.png"
    shoot --page "$page" "${dark[@]}" --scale 2 --size auto --out "$out/$page-$theme-2x-1280x800.png"
  done
done
shoot --page present-accounts --many 45 --out "$out/present-50-accounts.png"
shoot --page present --many 45 --out "$out/present-50-demo.png"
