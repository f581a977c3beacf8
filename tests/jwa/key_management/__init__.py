"""Tests of RFC 7518 s4 key management, one test module per algorithm module."""
