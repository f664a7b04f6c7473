"""The Tux Paint stamps (Debian ``tuxpaint-stamps-default``) as a canonical image table.

Each stamp is a PNG or SVG cut-out with a ``<name>.txt`` whose first line is an English
description. A stamp becomes one row: the image, the *visual word* it depicts with its WordNet
noun synset, its caption, tags and a train/test split.

Stamp names are written by programmers (``tiger_sumatran``, ``coffeecup``, ``lion-2``,
``iso_lorry1``) and captions by people (``A Sumatran tiger.``, ``A cup of coffee.``, ``Say
cheese!``); neither alone names the object reliably. The word mapper therefore collects WordNet
noun candidates from both (n-grams, run-together compounds, plurals through WordNet's morphy)
and trusts first a noun the two agree on, then the caption's head noun, then the name. Every
choice must have a sense whose lexicographer file fits the stamp's top-level folder
(``noun.animal`` under ``animals/``, ``noun.food`` under ``food/``); among those senses, one
below a sub-folder's meaning (``fish/``, ``tools/``) wins, then the one the word names first,
then the most frequent.

Stamps that depict no visual word (letters, digits) are left out by the ``exclude`` patterns;
stamps for which no noun is found keep a null word and synset, and a caption noun that WordNet
lacks ("A cep.") is kept as the word with a null synset.

Modules, in the order a stamp meets them:

- ``stamps``: finding the stamp files and reading their English descriptions;
- ``tokens``: caption and file-name text as words (normalisation, aliases, tags);
- ``wordlists`` (with ``wordlists.yaml``): the vocabulary rules (stop words, determiners ...);
- ``lexicon``: what WordNet says about a word or phrase (nouns, n-grams, compounds);
- ``names`` and ``phrases``: the noun candidates of a file name and of a caption;
- ``senses``: which sense of a noun a stamp's folders mean;
- ``mapper``: the order in which that evidence decides a stamp's word (``WordMapper.map``);
- ``table``: the image table, its stable split and its summary counts.
"""
