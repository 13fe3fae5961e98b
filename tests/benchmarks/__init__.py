"""Speed figures for `make bench` (never part of `make test`)."""
