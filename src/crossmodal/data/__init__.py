"""Sources and readers: the Tux Paint stamps, WordNet, text corpora, word-similarity files,
public datasets and their verified downloads, images and bring-your-own feature files."""
