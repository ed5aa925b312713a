"""``dangvien serve``: the tool as a local web page (Starlette, Jinja2, uvicorn; ``pip install 'dangvien_data[web]'``).

Every page calls the library functions the command line calls; nothing here decides a rule.
"""

from __future__ import annotations

from dangvien_data.web.app import create_app
from dangvien_data.web.server import serve

__all__ = ["create_app", "serve"]
