"""The one place that chooses where torch computes.

Every trainer and feature extractor asks here, so that a GPU node of a cluster is used when the
job was given one (config ``resources: torch: gpu``) and a laptop or CPU node runs the same code.
"""

from __future__ import annotations

import torch


def pick_device() -> torch.device:
    """The first CUDA device when one is visible to this process, else the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")
