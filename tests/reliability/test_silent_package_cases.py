"""The package side of the silent cases of issue 19 (test_silent_results.py has them through the
workflow): a constant modality scored P@K = 1 because ties counted in the query's favour, and a
words dataset too small for k, which only its pairing job can see (its items are known once
the vectors are joined), before any training."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crossmodal.collell2018.pairs import pair_inputs
from crossmodal.core.errors import InputError
from crossmodal.metrics.neighbours import expected_precision, match_ranks
from crossmodal.text.vectors import WordVectors

pytestmark = pytest.mark.bad_input


def test_a_constant_modality_scores_chance_not_1():
    rng = np.random.default_rng(1)
    queries = rng.standard_normal((60, 8)).astype(np.float32)
    for constant in (np.zeros((60, 8)), np.ones((60, 8))):
        closer, tied = match_ranks(queries, constant.astype(np.float32))
        for k in (1, 5, 10):
            assert expected_precision(closer, tied, k) == pytest.approx(k / 60)


def test_pairing_refuses_a_words_dataset_too_small_for_k(tmp_path):
    """A words dataset's items are known only once its vectors are joined: its pairing job,
    before any training, is the first place that can check."""
    rng = np.random.default_rng(0)
    words = [f"w{i:02d}" for i in range(24)]
    files = {}
    for name in ("visual", "text"):
        WordVectors(rng.standard_normal((24, 5)), pd.DataFrame({"word": words}), name).write(
            tmp_path / f"{name}.npy", tmp_path / f"{name}.words.parquet"
        )
        files[name] = str(tmp_path / f"{name}.npy")
    files["visual_words"] = str(tmp_path / "visual.words.parquet")
    files["text_vocab"] = str(tmp_path / "text.words.parquet")
    spec = {"dataset": "mine", "source": "words", "folds": 4, "seed": 0, "zero_rows": "refuse"}
    with pytest.raises(InputError, match=r"evaluation\.k: 5 .* test subset has 6 items .*folds"):
        pair_inputs(spec, files, {"k": 5, "precision_at": [1]})
    assert len(pair_inputs(spec, files, {"k": 4, "precision_at": [5]}).items) == 24
