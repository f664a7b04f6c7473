"""Word-similarity parsers on the real benchmark files in ../shared/data/wordsim (pair counts
from its SOURCES.md), on the published layouts rebuilt from them, on gensim's copies, and on
malformed input, which must name the file and line."""

import re
import zipfile

import pandas as pd
import pytest
from project_paths import SHARED

from crossmodal.core.errors import InputError
from crossmodal.data.wordsim import FORMATS, parse_benchmark, read_benchmark_text

WORDSIM = SHARED / "data/wordsim"
FORMAT_OF = {
    "mc30": "mc30", "rg65": "rg65", "ws353": "ws353", "ws353_rel": "ws353",
    "ws353_sim": "ws353", "men": "men", "men_lemma": "men", "simlex999": "simlex",
    "mturk287": "mturk287", "simverb3500": "simverb", "semsim": "semsim", "vissim": "vissim",
}  # fmt: skip

shared = pytest.mark.skipif(
    not (WORDSIM / "SOURCES.md").is_file(),
    reason=f"shared benchmark files not found in {WORDSIM}",
)


def _documented_counts() -> dict[str, int]:
    """Pair counts per file from the table in SOURCES.md ("| `mc30.tsv` | 30 | ...")."""
    text = (WORDSIM / "SOURCES.md").read_text(encoding="utf-8")
    return {
        m[1]: int(m[2]) for m in re.finditer(r"^\| `([a-z0-9_]+)\.tsv` \| (\d+) \|", text, re.M)
    }


def _shared(name: str) -> tuple[str, str]:
    return read_benchmark_text("file", path=WORDSIM / f"{name}.tsv")


@shared
@pytest.mark.parametrize("name", sorted(FORMAT_OF))
def test_each_shared_file_parses_to_its_documented_pairs(name):
    text, source = _shared(name)
    pairs = parse_benchmark(text, FORMAT_OF[name], source).pairs
    assert len(pairs) == _documented_counts()[name] == len(text.splitlines()) - 1
    assert list(pairs.columns) == ["word1", "word2", "score"]
    assert pairs["score"].dtype == "float64" and pairs["word1"].dtype == "string"
    for column in ("word1", "word2"):
        assert (pairs[column] == pairs[column].str.lower()).all()
        assert not pairs[column].str.contains(r"\s").any()
    # the generic header layout reads the same file identically
    generic = parse_benchmark(text, "pairs_header", source).pairs
    pd.testing.assert_frame_equal(pairs, generic)


def _without_header(text: str, separator: str) -> str:
    return "".join(separator.join(line.split("\t")) + "\n" for line in text.splitlines()[1:])


@shared
def test_published_layouts_give_the_same_pairs():
    # mfaruqui's copies: tab-separated, no header, CRLF (WS-353); MEN's release: spaces
    for name, separator, eol in (("ws353", "\t", "\r\n"), ("men", " ", "\n"), ("mc30", "\t", "\n")):
        text, source = _shared(name)
        expected = parse_benchmark(text, FORMAT_OF[name], source).pairs
        original = _without_header(text, separator).replace("\n", eol)
        pd.testing.assert_frame_equal(parse_benchmark(original, FORMAT_OF[name]).pairs, expected)
        pd.testing.assert_frame_equal(parse_benchmark(original, "pairs").pairs, expected)
    # SimLex-999.txt: ten columns, the SimLex999 score in the fourth
    text, source = _shared("simlex999")
    expected = parse_benchmark(text, "simlex", source).pairs
    rows = [line.split("\t") for line in text.splitlines()[1:]]
    header = (
        "word1\tword2\tPOS\tSimLex999\tconc(w1)\tconc(w2)\tconcQ\tAssoc(USF)\tSimAssoc333\tSD\n"
    )
    original = header + "".join(f"{a}\t{b}\tN\t{s}\t4.1\t4.2\t4\t0.5\t0\t0.4\n" for a, b, s in rows)
    pd.testing.assert_frame_equal(parse_benchmark(original, "simlex").pairs, expected)
    # SimVerb-3500.txt: word1 word2 POS score relation
    text, source = _shared("simverb3500")
    expected = parse_benchmark(text, "simverb", source).pairs
    rows = [line.split("\t") for line in text.splitlines()[1:]]
    original = "".join(f"{a}\t{b}\tV\t{s}\tNONE\n" for a, b, s in rows)
    pd.testing.assert_frame_equal(parse_benchmark(original, "simverb").pairs, expected)
    # MEN lemma form: POS suffixes -n/-v/-j are removed
    text, source = _shared("men_lemma")
    expected = parse_benchmark(text, "men", source).pairs
    rows = [line.split("\t") for line in text.splitlines()[1:]]
    tagged = "".join(f"{a}-n {b}-j {s}\n" for a, b, s in rows)
    pd.testing.assert_frame_equal(parse_benchmark(tagged, "men").pairs, expected)


@shared
def test_semsim_original_layout_holds_both_ratings():
    sem_text, _ = _shared("semsim")
    vis_text, _ = _shared("vissim")
    sem = parse_benchmark(sem_text, "semsim").pairs
    vis = parse_benchmark(vis_text, "vissim").pairs
    lines = ["WORDPAIR SEMANTIC VISUAL"]
    for s_line, v_line in zip(sem_text.splitlines()[1:], vis_text.splitlines()[1:], strict=True):
        a, b, s = s_line.split("\t")
        lines.append(f"{a}_(sense)#{b} {s} {v_line.split(chr(9))[2]}")
    original = "\n".join(lines) + "\n"
    pd.testing.assert_frame_equal(parse_benchmark(original, "semsim").pairs, sem)
    pd.testing.assert_frame_equal(parse_benchmark(original, "vissim").pairs, vis)


@shared
def test_gensim_copies_match_the_shared_files():
    for file, fmt, name in (
        ("wordsim353.tsv", "ws353", "ws353"),
        ("simlex999.txt", "simlex", "simlex999"),
    ):
        text, source = read_benchmark_text("gensim", file=file)
        ours = parse_benchmark(text, fmt, source).pairs
        shared_text, shared_source = _shared(name)
        pd.testing.assert_frame_equal(ours, parse_benchmark(shared_text, fmt, shared_source).pairs)


@pytest.mark.bad_input
def test_repeated_pairs_are_kept_and_listed_or_refused():
    text, source = read_benchmark_text("gensim", file="wordsim353.tsv")
    benchmark = parse_benchmark(text, "ws353", source)
    assert len(benchmark.pairs) == 353
    money = benchmark.pairs[(benchmark.pairs.word1 == "money") & (benchmark.pairs.word2 == "cash")]
    assert sorted(money["score"]) == [9.08, 9.15]
    assert any(re.search(r"wordsim353\.tsv:\d+: pair money-cash repeats line \d+", n)
               for n in benchmark.duplicates)  # fmt: skip
    with pytest.raises(InputError, match=r"wordsim353\.tsv:\d+: pair money-.* repeats line"):
        parse_benchmark(text, "ws353", source, duplicates="error")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cat\tdog\t7.1\ncar\tbus\tsimilar\n", r"bad\.txt:2: score 'similar' is not a finite"),
        ("cat\tdog\t7.1\n\ncar\tbus\n", r"bad\.txt:3: expected 3 fields \(ws353 format\), got 2"),
        ("cat\tdog\tnan\n", r"bad\.txt:1: score 'nan'"),
        ("cat\t\t7.1\n", r"bad\.txt:1: empty word"),
        ("# only a comment\n\n", r"bad\.txt: no word pairs found"),
        ("word1\tword2\tscore\nword1\tword2\tscore\n", r"bad\.txt:2: score 'score'"),
    ],
)
@pytest.mark.bad_input
def test_malformed_lines_name_file_and_line(text, message):
    with pytest.raises(InputError, match=message):
        parse_benchmark(text, "ws353", "bad.txt")


def test_layout_rules():
    with pytest.raises(InputError, match=r"b\.txt:1: expected a header line"):
        parse_benchmark("cat dog 1.0\n", "pairs_header", "b.txt")
    with pytest.raises(InputError, match=r"b\.txt:1: score 'score'"):
        parse_benchmark("word1 word2 score\ncat dog 1\n", "pairs", "b.txt")  # no header allowed
    with pytest.raises(InputError, match="unknown benchmark format 'wordsim'"):
        parse_benchmark("cat dog 1\n", "wordsim", "b.txt")
    multi = parse_benchmark("New York\tcity\t8.5\n", "pairs").pairs
    assert list(multi.iloc[0]) == ["new_york", "city", 8.5]
    assert set(FORMATS) >= {"ws353", "simlex", "men", "rg65", "mc30", "mturk287", "simverb",
                            "semsim", "vissim"}  # fmt: skip


def test_zip_download_member(tmp_path):
    archive = tmp_path / "bench.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("data/EN-MC-30.txt", "car\tautomobile\t3.92\ngem\tjewel\t3.84\n")
        handle.writestr("data/README.txt", "not pairs")
    text, source = read_benchmark_text("download", file="EN-MC-30.txt", path=archive)
    assert source.endswith("bench.zip:data/EN-MC-30.txt")
    assert len(parse_benchmark(text, "mc30", source).pairs) == 2
    with pytest.raises(InputError, match="expected one member named 'EN-RG-65.txt'"):
        read_benchmark_text("download", file="EN-RG-65.txt", path=archive)
    with pytest.raises(InputError, match="missing.txt: benchmark file not found"):
        read_benchmark_text("file", path=tmp_path / "missing.txt")
