"""Root conftest: collect the cases files beside every criteria file (criteria/ and tests/fixtures/)."""

pytest_plugins = ["tests.cases_plugin"]
