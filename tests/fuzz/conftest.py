"""Hypothesis profiles for the hostile-input tests.

"default" keeps the whole folder within about a minute and a half inside `make test`;
"fuzz" (HYPOTHESIS_PROFILE=fuzz, as `make fuzz` sets) runs far more examples.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]

settings.register_profile("default", max_examples=12, deadline=None, suppress_health_check=_QUIET)
settings.register_profile(
    "fuzz", max_examples=1_000, deadline=None, suppress_health_check=_QUIET, print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
