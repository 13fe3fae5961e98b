"""Use cases: each takes a Session and plain arguments and returns frozen dataclasses."""
