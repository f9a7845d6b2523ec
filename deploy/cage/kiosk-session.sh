#!/bin/sh
# What Cage runs (deploy/systemd/community-kiosk.service): the kiosk and nothing else.
# When it exits, Cage exits, and systemd starts both again (Restart=always).
set -eu

KIOSK_HOME=${KIOSK_HOME:-/opt/community-kiosk}
KIOSK_CONFIG=${KIOSK_CONFIG:-/etc/community-kiosk/kiosk.toml}
export KIOSK_CONFIG

# The screen never blanks while the kiosk runs (Cage has no idle blanking of its own;
# this stops an X fallback from blanking).
if command -v xset >/dev/null 2>&1 && [ -n "${DISPLAY:-}" ]; then
    xset s off -dpms || true
fi

exec "$KIOSK_HOME/.venv/bin/kiosk" run --config "$KIOSK_CONFIG"
