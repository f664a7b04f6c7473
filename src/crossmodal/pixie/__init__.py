"""PIXIE (Ailem et al., 2018): skip-gram trained jointly with a VAE over visual words, its
baselines, word-similarity evaluation and image-sentence retrieval.

- :mod:`~crossmodal.pixie.model`: the model (config, the VAE, the joint loss; V-SGNS and SGNS
  as its relatives);
- :mod:`~crossmodal.pixie.vsgns`: V-SGNS's max-margin term (Lazaridou et al.'s model A);
- :mod:`~crossmodal.pixie.stream`: vocabulary, encoded corpus and each epoch's mini-batches;
- :mod:`~crossmodal.pixie.optimiser`: lazy Adam on the embedding tables, Adam on the rest;
- :mod:`~crossmodal.pixie.training`: resumable training and the trained embeddings;
- :mod:`~crossmodal.pixie.visual`: the study's visual words and the propagation settings;
- :mod:`~crossmodal.pixie.baselines`: CNN, VAE, SGNS concatenations, IV-SGNS;
- :mod:`~crossmodal.pixie.retrieval`: the VSE retrieval model, its training and R@K;
- :mod:`~crossmodal.pixie.evaluation`: the study's tables (2, 3, 4, 5, 6);
- :mod:`~crossmodal.pixie.published`: the paper's published values beside ours.
"""
