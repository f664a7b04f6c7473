"""Presentation shared by the studies: figure saving and HTML views of the final tables."""
