import pytest
from django.utils import translation

from accounts.roles import Role
from tests.builders import build_published_race, user_with_role


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


@pytest.fixture
def published(db):
    return build_published_race()


@pytest.fixture
def users(db, published):
    """One signed-in-able user per role; the clerk looks after the first district."""
    return {
        role: user_with_role(role, districts=[published.districts[0]] if role is Role.CLERK else ())
        for role in Role
    }


@pytest.fixture
def client_for(client, users):
    """client_for(Role.OFFICIAL) -> a test client signed in with that role."""

    def sign_in(role: Role):
        client.force_login(users[role])
        return client

    return sign_in


@pytest.fixture(autouse=True)
def demo_flag_read_afresh():
    # The demo banner's flag is kept for the life of the process; each test has its own data.
    from demo.banner import demo_flag_forget

    demo_flag_forget()
    yield
    demo_flag_forget()
