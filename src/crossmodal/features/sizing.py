"""Memory that the codebook job asks a cluster for, computed from the data it will read.

fit_codebook holds ``descriptors_per_image`` dense SIFT descriptors of every training image (or
of ``vision.codebook.max_images`` of them): as uint8 per image while sampling, then concatenated,
then the float32 copy that k-means trains on, 6 bytes per descriptor dimension at the peak. That
is about 80 MB for the demo's 621 training stamps and 25 GB for NUS-WIDE's 161,789 training
images, so no fixed request fits both runs: the rule asks for what its image table implies, once
the table exists (a dry run before that shows the request as <TBD>, and Snakemake computes it when
the job is ready).
"""

from __future__ import annotations

import errno
import math
import os

#: Dimensions of a SIFT descriptor (crossmodal.features.sift.DESCRIPTOR_DIM, not imported from
#: there: that module loads OpenCV and cairosvg, seconds that every dry run would pay).
DESCRIPTOR_DIM = 128
#: Bytes per sampled descriptor at the peak of sampling: the per-image uint8 samples, their
#: concatenation, and the float32 copy for k-means.
PEAK_BYTES_PER_DESCRIPTOR = DESCRIPTOR_DIM * (1 + 1 + 4)
#: Python, OpenCV, faiss and the image table: about 400 MB on the demo, with room for a table of
#: a few hundred thousand images.
BASE_MB = 1000


def training_rows(images_path: str | os.PathLike[str]) -> int:
    """Rows of an image table with split ``train`` (reads the split column only).

    A missing table raises FileNotFoundError naming it, which Snakemake takes as "not known
    yet" in a resource function (its input does not exist before the upstream job ran).
    """
    # pyarrow.parquet is imported here, not at the top: the workflow imports this module while
    # parsing, and every dry run would pay for a module that only a ready job needs.
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    if not os.path.isfile(images_path):
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(images_path))
    split = pq.read_table(images_path, columns=["split"]).column("split")
    return int(pc.sum(pc.equal(split, "train")).as_py() or 0)


def codebook_mem_mb(
    images_path: str | os.PathLike[str], per_image: int, max_images: int | None
) -> int:
    """Megabytes to request for fitting a codebook on the training images of the table: the peak
    of its descriptor sample (see the module docstring), 10 % on top, and :data:`BASE_MB`."""
    images = training_rows(images_path)
    if max_images is not None:
        images = min(images, max_images)
    sample_mb = images * per_image * PEAK_BYTES_PER_DESCRIPTOR / 1e6
    return BASE_MB + math.ceil(1.1 * sample_mb)
