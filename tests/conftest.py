"""Suite-wide test settings."""

import os

from hypothesis import settings

# In CI the property tests draw the same examples every run (a red CI is then reproducible);
# on a developer's machine they stay random, so new inputs keep being tried.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
