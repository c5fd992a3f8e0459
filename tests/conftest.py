"""Root test configuration: registers the shared server fixtures."""

pytest_plugins = ["tests.fixtures.seaweed", "tests.fixtures.pki"]
