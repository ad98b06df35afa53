"""Tests of the input layer (auditor.readers)."""
