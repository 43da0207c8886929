import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing():
    """Shadow the project-wide Django fixture of this name: the engine is plain Python and
    its tests run without pytest-django (`-p no:django`), where `settings` does not exist."""
