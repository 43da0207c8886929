"""Settings for the test suite: the development settings, whatever the shell exports.

The suite needs no SECRET_KEY and plain HTTP; the production settings are tested by
running `manage.py check --deploy` in subprocesses with their own environment
(tests/web/test_deploy_settings.py).
"""

import os

# Set before the settings are read; subprocesses the tests start inherit it too.
os.environ["DEBUG"] = "1"

from config.settings import *  # noqa: E402, F403
