"""``python -m server`` runs the kiosk-server command line."""

import sys

from server.cli import main

sys.exit(main())
