"""Settings shared by every test."""

from hypothesis import settings

# CI machines are shared and noisy: a per-example deadline would make property tests flaky, not stricter.
settings.register_profile("shinchoku", deadline=None, print_blob=True)
settings.load_profile("shinchoku")
