"""The load test (not part of the test suite): ``python -m loadtest``. See __main__.py."""
