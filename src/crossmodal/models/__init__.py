"""Trainable maps shared by the studies: the linear and neural cross-modal mappings of Collell &
Moens, which PIXIE's IV-SGNS baseline reuses."""
