"""Shared foundation of every layer: errors, atomic I/O, logs, provenance, config checks,
device choice and resumable training. Imports nothing else of the package."""
