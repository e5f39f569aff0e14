from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Rendered figures are cached per refresh; no test sees another's."""
    cache.clear()
