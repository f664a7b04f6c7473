"""The NUS-WIDE study: items and concepts, tag vectors, LSA, joint and cross-modal autoencoders,
concept classification by mean AUC, and figures."""
