"""Sessions expire and extend the same way when they are kept in a shared cache
(cached_db, written through to the database)."""

import pytest

from tests.accounts.test_cached_identity import shared_cache  # noqa: F401
from tests.accounts.test_sessions import *  # noqa: F403

pytestmark = pytest.mark.usefixtures("shared_cache")
