import pytest

from rankings.roles import Role
from tests.builders import build_published_race, user_with_role


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
