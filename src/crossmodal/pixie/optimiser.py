"""PIXIE's optimisers: lazy Adam on the embedding tables, plain Adam on the visual networks.

Lazy Adam (:class:`RowAdam`, not in the paper, for speed): a step updates only the rows its
batch touches, with torch.optim.SparseAdam's rule (as the earlier version used SparseAdam), but
from the gradient with respect to the gathered rows, with no sparse gradient to coalesce.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn


class RowAdam:
    """Lazy Adam on embedding tables: a step updates only the rows its mini-batch touched, with
    torch.optim.SparseAdam's rule (moments of untouched rows are left as they are; the bias
    correction counts every step). SparseAdam does the same from a sparse gradient, which it
    must coalesce (sort and sum) each step; here the loss is differentiated with respect to
    the touched rows directly, so the gradient arrives dense, one row per distinct id."""

    def __init__(
        self,
        tables: list[torch.Tensor],
        lr: float,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        self.tables, self.lr, self.betas, self.eps = tables, lr, betas, eps
        self.moments = [(torch.zeros_like(t), torch.zeros_like(t)) for t in tables]
        self.steps = 0

    @torch.no_grad()
    def step(self, updates: list[tuple[torch.Tensor, torch.Tensor]]) -> None:
        """Apply one step; ``updates`` holds (distinct row ids, their gradient) per table."""
        self.steps += 1
        beta1, beta2 = self.betas
        size = self.lr * math.sqrt(1 - beta2**self.steps) / (1 - beta1**self.steps)
        for table, (mean, square), (rows, grad) in zip(
            self.tables, self.moments, updates, strict=True
        ):
            row_mean = mean.index_select(0, rows).lerp_(grad, 1 - beta1)
            row_square = (
                square.index_select(0, rows).mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            )
            mean.index_copy_(0, rows, row_mean)
            square.index_copy_(0, rows, row_square)
            table.index_add_(0, rows, row_mean.div_(row_square.sqrt_().add_(self.eps)), alpha=-size)

    def state_dict(self) -> dict[str, Any]:
        """The step count and moments, saved after every epoch to resume training from."""
        return {"steps": self.steps, "moments": [m for pair in self.moments for m in pair]}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Continue from a :meth:`state_dict`, copied into the moments on their device."""
        self.steps = int(state["steps"])
        saved = list(state["moments"])
        for (mean, square), old_mean, old_square in zip(
            self.moments, saved[::2], saved[1::2], strict=True
        ):
            mean.copy_(old_mean)
            square.copy_(old_square)


def dense_optimiser(model: nn.Module, lr: float) -> torch.optim.Adam | None:
    """Adam on the parameters autograd trains, the visual networks (none for the text-only
    model, whose embedding tables are :class:`RowAdam`'s)."""
    dense = [p for p in model.parameters() if p.requires_grad]
    return torch.optim.Adam(dense, lr=lr) if dense else None
