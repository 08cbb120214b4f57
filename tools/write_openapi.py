"""Write the served OpenAPI description to docs/openapi.json (a test keeps them equal).

.venv/bin/python tools/write_openapi.py
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def openapi_text() -> str:
    from hadir.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")
    os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")
    import django

    django.setup()
    (ROOT / "docs" / "openapi.json").write_text(openapi_text(), encoding="utf-8")
    print("docs/openapi.json written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
