"""Tests of the benchmark code (bench/)."""
