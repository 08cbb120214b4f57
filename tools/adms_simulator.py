"""Simulated fingerprint machines against a running hadir: see hadir/devices/simulator.py.

    python tools/adms_simulator.py --url http://127.0.0.1:8000 --serial SIM0001 \
        --pins 10000-10023 --records 200 --rate 20 --outage 3:4
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hadir.devices.simulator import main

if __name__ == "__main__":
    sys.exit(main())
