"""Tests of db/ alone (no services, no Qt)."""
