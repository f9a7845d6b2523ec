#!/bin/sh
# X autostart alternative to Cage: the whole X session of the kiosk user is this script.
# Installed as /usr/local/bin/community-kiosk-xsession and chosen by community-kiosk.desktop
# (a session for the display manager's autologin, see 50-community-kiosk.conf).
# It restarts the kiosk whenever it exits (crash, power glitch of a device driver, technician
# "restart"), after a short pause, for as long as the session lasts.
set -u

KIOSK_HOME=${KIOSK_HOME:-/opt/community-kiosk}
export KIOSK_CONFIG=${KIOSK_CONFIG:-/etc/community-kiosk/kiosk.toml}
export KIOSK_DATA_DIR=${KIOSK_DATA_DIR:-/var/lib/community-kiosk}
export KIOSK_LOG_DIR=${KIOSK_LOG_DIR:-/var/log/community-kiosk}
export QT_QPA_PLATFORM=xcb
export QT_AUTO_SCREEN_SCALE_FACTOR=0
export QT_SCALE_FACTOR=1
export QT_IM_MODULE=qtvirtualkeyboard
export LANG=${LANG:-zh_CN.UTF-8}

# Never blank or power down the screen; no Ctrl+Alt+Backspace, no VT switching from the keyboard.
xset s off -dpms s noblank 2>/dev/null || true
setxkbmap -option "" -option srvrkeys:none 2>/dev/null || true
# A touch screen needs no pointer: hide it when idle, if unclutter is installed.
command -v unclutter >/dev/null 2>&1 && unclutter -idle 1 -root &

# No window manager: the kiosk window is frameless and full screen by itself, and without one
# there is nothing to switch to (no Alt+Tab, no task bar).
while true; do
    "$KIOSK_HOME/.venv/bin/kiosk" run --config "$KIOSK_CONFIG"
    status=$?
    logger -t community-kiosk "kiosk exited with status $status; starting it again in 2 s"
    sleep 2
done
