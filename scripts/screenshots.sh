#!/usr/bin/env bash
# Renders one exported page per script (Latin, Arabic, Japanese, Chinese)
# with headless Chromium into docs/screenshots/. Needs Debian's chromium and
# fonts-noto-cjk, fonts-noto-core (installed below when missing, as root).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null || ! fc-list | grep -qi "Noto Sans CJK"; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk fonts-noto-core >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Export every locale, partial ones with visible fallbacks, in a scratch
# copy of the project (dist/ must stay inside the project it belongs to).
cp -r healthi18n.yaml content locales "$work"/
go run ./cmd/healthi18n --config "$work/healthi18n.yaml" export --safety fallback >/dev/null
dist="$work/dist"
for lang in es ar ja zh-Hans; do
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d)" --hide-scrollbars --window-size=900,1500 \
    --screenshot="docs/screenshots/paracetamol-$lang.png" "file://$dist/$lang/paracetamol.html" 2>/dev/null
  echo "docs/screenshots/paracetamol-$lang.png"
done
