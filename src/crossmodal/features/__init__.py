"""Image features: dense SIFT, the k-means codebook and bags of visual words, CNN activations,
and per-word aggregation of image features into visual word vectors."""
