"""Word embeddings: skip-gram training, pretrained vector files, and the word-vectors contract
(an NPY matrix with a Parquet vocabulary) every study reads."""
