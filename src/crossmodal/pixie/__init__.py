"""PIXIE (Ailem et al., EMNLP 2018): skip-gram trained jointly with a VAE over visual words, its
baselines, word-similarity evaluation and image-sentence retrieval."""
