import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2's deliberate slowness protects real passwords; tests need none of it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_unless_a_test_says_otherwise():
    # A request with a language cookie leaves its language active in the thread; reset it so
    # the next test does not run in Chinese.
    yield
    translation.deactivate()
