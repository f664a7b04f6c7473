"""The paper's models and protocols: V-SGNS's max-margin term, the Gaussian decoder, Table 2's
shared pairs, Table 3's both-held-out pairs, Table 4's pair cosines, Table 5's neighbours, and
the paper's values beside ours."""

import numpy as np
import pandas as pd
import pytest
import torch
from torch import nn

from crossmodal.pixie.evaluation import (
    neighbour_table,
    pair_cosine_table,
    propagation_table,
    similarity_table,
)
from crossmodal.pixie.model import VisualVAE
from crossmodal.pixie.published import beside_paper, read_published
from crossmodal.pixie.vsgns import margin_term, max_margin
from crossmodal.text.vectors import WordVectors


def _vectors(words: list[str], seed: int, dim: int = 4) -> WordVectors:
    rng = np.random.default_rng(seed)
    return WordVectors(
        rng.normal(size=(len(words), dim)).astype(np.float32), pd.DataFrame({"word": words})
    )


def test_margin_gradient_moves_the_mapped_embedding_towards_its_visual_vector() -> None:
    """One gradient step on the max-margin term raises cos(M e_w, x_w) and lowers the cosine
    with the wrong visual vectors, for every word whose hinge is active; a word whose margin is
    met contributes nothing (zero term and zero gradient)."""
    generator = torch.Generator().manual_seed(0)
    embeddings = torch.randn(6, 5, generator=generator, requires_grad=True)
    projection = nn.Linear(5, 8, bias=False)
    targets = torch.randn(6, 8, generator=generator)
    wrong = torch.randn(6, 3, 8, generator=generator)
    terms = max_margin(projection(embeddings), targets, wrong, 0.5)
    assert (terms > 0).all()
    terms.sum().backward()

    def cosines() -> tuple[torch.Tensor, torch.Tensor]:
        with torch.no_grad():
            mapped = projection(embeddings)
            right = nn.functional.cosine_similarity(mapped, targets, dim=1)
            other = nn.functional.cosine_similarity(mapped.unsqueeze(1), wrong, dim=2).mean(1)
        return right, other

    right_before, other_before = cosines()
    with torch.no_grad():
        embeddings -= 0.05 * embeddings.grad
        projection.weight -= 0.05 * projection.weight.grad
    right_after, other_after = cosines()
    assert (right_after > right_before).all()
    assert (other_after < other_before).all()
    # The margin met: the mapped embedding is its target and the wrong vectors point away.
    met = max_margin(targets, targets, -targets.unsqueeze(1).repeat(1, 3, 1), 0.5)
    assert torch.equal(met, torch.zeros(6))


def test_margin_term_ignores_draws_of_the_word_itself() -> None:
    """With a single visual row every drawn wrong example is the word's own, which is no
    wrong example: the term is zero."""
    projection = nn.Linear(3, 2, bias=False)
    features = torch.tensor([[1.0, 0.0]])
    term = margin_term(torch.randn(2, 3), projection, features, torch.tensor([0, 0]), 0.5, 4)
    assert torch.equal(term, torch.zeros(2))


def test_gaussian_decoder_is_the_papers_likelihood() -> None:
    """The default decoder is a diagonal Gaussian with sigmoid means and a floored variance: its
    -log p(x | z) is the Gaussian's, and it falls as the decoder fits a single point."""
    torch.manual_seed(0)
    vae = VisualVAE(6, 3, 8)
    assert isinstance(vae.decoded_mean[-1], nn.Sigmoid) and vae.decoded_spread is not None
    x, z = torch.rand(1, 6), torch.randn(1, 3)
    h = vae.decoder(z)
    mean = vae.decoded_mean(h)
    variance = nn.functional.softplus(vae.decoded_spread(h)) + 1e-3
    expected = 0.5 * (torch.log(2 * torch.pi * variance) + (x - mean) ** 2 / variance).sum()
    torch.testing.assert_close(vae.reconstruction(z, x), expected.reshape(1))
    optimiser = torch.optim.Adam(vae.parameters(), lr=0.01)
    start = float(vae.reconstruction(z, x).detach())
    for _ in range(200):
        optimiser.zero_grad()
        vae.reconstruction(z, x).sum().backward()
        optimiser.step()
    assert float(vae.reconstruction(z, x).detach()) < start - 5
    assert VisualVAE(6, 3, 8, likelihood="bernoulli").decoded_spread is None


PAIRS = pd.DataFrame(
    {
        "word1": ["cat", "cat", "Dog", "truth", "cat", "hope", "cow"],
        "word2": ["dog", "cow", "horse", "hope", "truth", "faith", "horse"],
        "score": [9.0, 6.0, 7.0, 5.0, 1.0, 6.5, 5.5],
    }
)
VISUAL = ["cat", "dog", "cow", "horse"]


def test_table2_scores_every_model_on_the_same_pairs() -> None:
    """Within a setting all scoring models are scored on the pairs they all cover; a
    visual-only model has no value on all pairs and does not narrow them; on visual pairs it
    scores the same pairs as the others."""
    text_words = ["cat", "dog", "cow", "horse", "truth", "hope", "faith"]
    models = {
        "sgns": _vectors(text_words, 0),
        "gappy": _vectors([w for w in text_words if w != "horse"], 1),
        "cnn": _vectors(VISUAL, 2),
    }
    table = similarity_table(models, {"hand": PAIRS}, VISUAL).set_index(["pairs", "model"])
    everything = table.loc["all"]
    # "horse" missing from one model removes its two pairs for every model: 7 - 2 = 5.
    assert set(everything["scored"]) == {5} and set(everything["total"]) == {7}
    assert np.isnan(everything.loc["cnn", "rho"])
    assert np.isfinite(everything.loc[["sgns", "gappy"], "rho"]).all()
    # Visual pairs: cat-dog, cat-cow, dog-horse, cow-horse; without horse: 2 (fewer than 3: NaN).
    visual = table.loc["visual"]
    assert set(visual["scored"]) == {2}
    without_gap = similarity_table(
        {k: v for k, v in models.items() if k != "gappy"}, {"hand": PAIRS}, VISUAL
    ).set_index(["pairs", "model"])
    assert set(without_gap.loc["visual", "scored"]) == {4}
    assert set(without_gap.loc["all", "scored"]) == {7}
    expected = similarity_table(
        {"cnn": models["cnn"]}, {"hand": PAIRS.iloc[[0, 1, 2, 6]]}, VISUAL
    ).set_index(["pairs", "model"])
    assert without_gap.loc[("visual", "cnn"), "rho"] == pytest.approx(
        expected.loc[("visual", "cnn"), "rho"]
    )
    assert without_gap.loc[("all", "sgns"), "share"] == pytest.approx(1.0)


def test_table3_scores_only_pairs_of_two_held_out_words() -> None:
    words = pd.DataFrame({"word": VISUAL, "heldout": [True, True, True, False]})
    text_words = ["cat", "dog", "cow", "horse", "truth", "hope", "faith"]
    models = {
        setting: {"sgns": _vectors(text_words, 0), "pixieconcat": _vectors(text_words, seed)}
        for setting, seed in (("all", 1), ("heldout", 2))
    }
    table = propagation_table(words, models, {"hand": PAIRS})
    # Pairs of two held-out words: cat-dog, cat-cow (dog-horse, cow-horse have horse).
    assert set(table["scored"]) == {2} and set(table["heldout_words"]) == {3}
    assert list(zip(table["model"], table["images"], strict=True)) == [
        ("sgns", "none"),
        ("pixieconcat", "all"),
        ("pixieconcat", "withheld"),
    ]
    words["heldout"] = [True, True, True, True]
    assert set(propagation_table(words, models, {"hand": PAIRS})["scored"]) == {4}


def test_table4_cosines_and_table5_neighbours() -> None:
    vectors = WordVectors(
        np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]], np.float32),
        pd.DataFrame({"word": ["cup", "mug", "idea"]}),
    )
    table = pair_cosine_table([("cup", "mug"), ("cup", "unicorn")], {"sgns": vectors}, ["cup"])
    assert table.loc[0, "sgns"] == pytest.approx(0.6) and np.isnan(table.loc[1, "sgns"])
    assert not table["heldout"].any()
    assert pair_cosine_table([("cup", "mug")], {}, ["cup", "mug"])["heldout"].all()
    near = neighbour_table({"sgns": vectors}, ["cup", "idea"], 1, ["cup", "mug"])
    assert list(near["neighbour"]) == ["mug", "mug"] and list(near["visual"]) == [True, False]


def test_paper_values_stand_beside_ours_only_where_both_exist() -> None:
    published = read_published(
        "table,benchmark,setting,model,measure,value,paper_label\n"
        "1,simlex999,,,pairs,999,SimLex\n"
        "1,men,,,pairs,3000,MEN\n"
        "2,simlex999,all,sgns,rho,0.33,SGNS SimLex\n"
        "2,simlex999,visual,cnn,rho,0.41,CNN SimLex\n"
        "2,simlex999,visual,,share,0.39,SimLex 39%\n"
        "2,men,all,sgns,rho,0.65,SGNS MEN\n"
        "3,simlex999,withheld,pixieconcat,rho,0.43,PIXIE(+)(*) SimLex\n"
        "6,flickr30k,test,sgns,i2t_r1,23.1,SGNS I->S K=1\n"
    )
    table2 = pd.DataFrame(
        {
            "benchmark": ["simlex999"] * 4,
            "pairs": ["all", "all", "visual", "visual"],
            "model": ["sgns", "cnn", "sgns", "cnn"],
            "rho": [0.1, np.nan, 0.2, 0.3],
            "scored": [800, 800, 20, 20],
            "total": [999] * 4,
            "share": [0.8, 0.8, 0.02, 0.02],
        }
    )
    table3 = pd.DataFrame(
        {"benchmark": ["simlex999"], "model": ["pixieconcat"], "images": ["withheld"], "rho": [0.5]}
    )
    table6 = pd.DataFrame({"model": ["sgns"], **{m: [1.0] for m in ("i2t_r1", "i2t_r5")}})
    table6 = table6.assign(i2t_r10=2.0, t2i_r1=3.0, t2i_r5=4.0, t2i_r10=5.0)
    joined = beside_paper(published, table2, table3, table6)
    assert list(zip(joined["table"], joined["paper"], joined["ours"], strict=True)) == [
        (1, 999, 999),
        (2, 0.33, 0.1),
        (2, 0.41, 0.3),
        (2, 0.39, 0.02),
        (3, 0.43, 0.5),
        (6, 23.1, 1.0),
    ]
    assert 6 not in set(beside_paper(published, table2, table3, None)["table"])
