"""Collell & Moens (ACL 2018): paired data, hyperparameter selection, mapping evaluation with
mNNO, untrained networks (Experiment 2), tables and figures."""
