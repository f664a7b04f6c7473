"""Measures shared by the studies: exact nearest neighbours and mNNO, word similarity with
coverage, and significance tests."""
