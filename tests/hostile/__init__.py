"""Hostile inputs: resource bounds, fuzzed readers, special files and names."""
