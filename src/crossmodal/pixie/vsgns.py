"""V-SGNS: the multimodal skip-gram of Lazaridou, Pham & Baroni (2015), their model A, the
baseline the PIXIE paper calls V-SGNS (Ailem et al., 2018, Sect. 4.2: "augments SGNS with a term
that treats CNN visual features as regression targets").

Model A adds to skip-gram's objective, at every corpus position of a word w that has a visual
vector x_w, a max-margin term: a linear map M of the word's embedding must be closer, by cosine,
to x_w than to the visual vectors x_w' of k randomly drawn other visual words, by a margin γ:

    sum over the k wrong words w' of max(0, γ - cos(M e_w, x_w) + cos(M e_w, x_w')).

The gradient of the term moves M e_w (through e_w and M) towards x_w and away from the x_w'; the
word's representation is its embedding e_w, shaped by both objectives. Words without a visual
vector are trained by skip-gram alone, and reach the visual space only through shared contexts.

How the term is weighted against skip-gram (in :mod:`crossmodal.pixie.training`): once per
(down-sampled) corpus position of w, as Lazaridou et al.'s objective sums it over the corpus,
while PIXIE's generative term counts once per visual word and epoch (an ELBO term).
"""

from __future__ import annotations

import torch
from torch import nn


def max_margin(
    mapped: torch.Tensor,
    targets: torch.Tensor,
    wrong: torch.Tensor,
    margin: float,
    valid: torch.Tensor | None = None,
) -> torch.Tensor:
    """Per row, the sum over its wrong targets of max(0, margin - cos(mapped, target) +
    cos(mapped, wrong)): ``mapped`` and ``targets`` are n x d, ``wrong`` n x k x d, and
    ``valid`` (n x k, optional) says which wrong targets count."""
    right = nn.functional.cosine_similarity(mapped, targets, dim=1)
    other = nn.functional.cosine_similarity(mapped.unsqueeze(1), wrong, dim=2)
    hinge = (margin - right.unsqueeze(1) + other).clamp(min=0)
    return (hinge if valid is None else hinge * valid).sum(dim=1)


def draw_wrong(own: torch.Tensor, n_rows: int, k: int) -> tuple[torch.Tensor, torch.Tensor]:
    """``k`` visual rows drawn uniformly (torch's global generator) for each of the rows ``own``,
    and a mask that is false where a draw hit the word's own row (such a draw is no wrong
    example and does not count)."""
    wrong = torch.randint(0, n_rows, (len(own), k), device=own.device)
    return wrong, wrong != own.unsqueeze(1)


def margin_term(
    embeddings: torch.Tensor,
    projection: nn.Linear,
    features: torch.Tensor,
    own: torch.Tensor,
    margin: float,
    k: int,
) -> torch.Tensor:
    """The max-margin term of each word whose embedding is a row of ``embeddings`` and whose
    visual vector is row ``own`` of ``features``, against ``k`` drawn wrong rows."""
    wrong, valid = draw_wrong(own, len(features), k)
    return max_margin(projection(embeddings), features[own], features[wrong], margin, valid)
