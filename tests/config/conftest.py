from django.db import connections

# A "replica" database alias for the router tests, as settings.py makes one from
# DATABASE_REPLICA_URL: a second connection to the test database (TEST MIRROR), so the tests
# run without a second server. Registered when the tests are collected, before the test
# databases are set up; nothing reads from it unless a test installs the router.
if "replica" not in connections:
    default = connections.settings["default"]
    connections.settings["replica"] = {
        **default,
        "TEST": {**default["TEST"], "MIRROR": "default"},
    }
