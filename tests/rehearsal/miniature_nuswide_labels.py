"""NUS-WIDE's 81 concepts, and the rule that gives the Tux Paint stamps ground-truth labels for
them, for the miniature NUS-WIDE (miniature_nuswide.py).

The concept names are the real ``Concepts81.txt`` in its (alphabetical) order, as the dataset's
page and the many loaders that hard-code it list them. Stamps have no human concept labels, so
they are derived from real data by this rule, in this order of evidence:

1. **tag words**: the concept's name (or its singular/plural: ``birds``/``bird``, ``tree``/
   ``trees``) is one of the stamp's tags (its description's and file name's words);
2. **WordNet**: the stamp's synset (its visual word's sense in the project's stamp table) is, or
   lies below by hypernym or instance links, the concept's synset in ``CONCEPT_SYNSETS``
   (``animal.n.01`` for *animal*; every bird, fish and mammal stamp is an animal);
3. **scenes**: the stamp's path matches a pattern of ``SCENE_FOLDERS``. Stamps are cut-out
   objects, and concepts such as *sky*, *sunset*, *beach* or *reflection* are scenery that no
   stamp shows on its own; these lists name the stamps whose object belongs to such a scene on
   a photo (a flying plane or bird: *sky*; a seagull or a bikini: *beach*; a glass, a coin or
   sunglasses: *reflection*; Halloween, candles, the moon: *nighttime* and *sunset*; fruit and
   nuts that grow on trees, and the birds and mammals that live in them: *tree*; the wapiti,
   which North Americans call an elk: *elk*).

The lists are a choice, written out here so that they can be read and argued with; they make
each of the ten concepts the full configuration studies common enough for its cross-validation.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable

from nltk.corpus.reader.wordnet import WordNetCorpusReader

#: Concepts81.txt: the 81 concepts of the NUS-WIDE ground truth, in the file's order.
CONCEPTS81 = (
    "airport", "animal", "beach", "bear", "birds", "boats", "book", "bridge", "buildings",
    "cars", "castle", "cat", "cityscape", "clouds", "computer", "coral", "cow", "dancing", "dog",
    "earthquake", "elk", "fire", "fish", "flags", "flowers", "food", "fox", "frost", "garden",
    "glacier", "grass", "harbor", "horses", "house", "lake", "leaf", "map", "military", "moon",
    "mountain", "nighttime", "ocean", "person", "plane", "plants", "police", "protest",
    "railroad", "rainbow", "reflection", "road", "rocks", "running", "sand", "sign", "sky",
    "snow", "soccer", "sports", "statue", "street", "sun", "sunset", "surf", "swimmers",
    "tattoo", "temple", "tiger", "tower", "town", "toy", "train", "tree", "valley", "vehicle",
    "water", "waterfall", "wedding", "whales", "window", "zebra",
)  # fmt: skip

#: The concepts of full.yaml's nuswide study (the ten most frequent in the real dataset).
STUDIED = ("sky", "water", "clouds", "sunset", "beach", "tree", "reflection", "animal", "street",
           "sun")  # fmt: skip

#: The WordNet 3.0 sense of each concept that names a kind of thing (rule 2).
CONCEPT_SYNSETS: dict[str, tuple[str, ...]] = {
    "animal": ("animal.n.01",), "bear": ("bear.n.01",), "birds": ("bird.n.01",),
    "boats": ("vessel.n.02",), "book": ("book.n.01",), "bridge": ("bridge.n.01",),
    "buildings": ("building.n.01",), "cars": ("car.n.01",), "castle": ("castle.n.02",),
    "cat": ("cat.n.01",), "computer": ("computer.n.01",), "cow": ("cattle.n.01",),
    "dog": ("dog.n.01",), "elk": ("elk.n.01",), "fish": ("fish.n.01",), "flags": ("flag.n.01",),
    "flowers": ("flower.n.01",), "food": ("food.n.02",), "fox": ("fox.n.01",),
    "horses": ("horse.n.01",), "house": ("house.n.01",), "leaf": ("leaf.n.01",),
    "map": ("map.n.01",), "military": ("military_vehicle.n.01", "weapon.n.01"),
    "moon": ("moon.n.01",), "mountain": ("mountain.n.01",), "person": ("person.n.01",),
    "plane": ("airplane.n.01",), "plants": ("plant.n.02",), "rocks": ("rock.n.01",),
    "sign": ("sign.n.02",), "sports": ("ball.n.01",), "statue": ("statue.n.01",),
    "sun": ("sun.n.01",), "temple": ("temple.n.01",), "tiger": ("tiger.n.02",),
    "tower": ("tower.n.01",), "toy": ("plaything.n.01",), "train": ("train.n.01",),
    "tree": ("tree.n.01",), "vehicle": ("vehicle.n.01",), "whales": ("whale.n.02",),
    "window": ("window.n.01",), "zebra": ("zebra.n.01",),
}  # fmt: skip

_FLYING = (
    "vehicles/flight/*",
    "military/vehicles/f22_raptor",
    "military/vehicles/mustang",
    "military/paratrooper",
    "hobbies/kite",
    "seasonal/balloon",
    "space/rocket*",
)
_SHORE_BIRDS = ("animals/birds/*gull*", "animals/birds/pelican", "animals/birds/*penguin*")
_WATER_BIRDS = (
    *_SHORE_BIRDS,
    "animals/birds/*duck*",
    "animals/birds/drake",
    "animals/birds/gander",
    "animals/birds/*flamingo",
    "animals/birds/heron*",
)
_SEA = (
    "animals/fish/*",
    "animals/shellfish/*",
    "animals/mammals/aquatic/*",
    "vehicles/ship/*",
    "people/cartoon/mermaid",
    "town/cartoon/shipwreck",
    "town/houses/cartoon/lighthouse",
)
_NIGHT = (
    "seasonal/halloween/*",
    "space/moon/*",
    "seasonal/newyears/fireworks*",
    "seasonal/candle",
    "seasonal/hanukkah/*candle*",
    "seasonal/hanukkah/menorah",
    "household/tealight",
    "animals/birds/owl",
    "seasonal/christmas/lamp",
)
_STREET = (
    "town/roadsigns/*",
    "vehicles/auto/*",
    "vehicles/masstransit/*",
    "vehicles/emergency/*",
    "vehicles/construction/*",
    "vehicles/cycle/*",
    "vehicles/iso_*",
    "vehicles/garbagetruck",
    "vehicles/blue_truck",
    "town/uk_post_box",
    "town/usps_mailbox",
    "household/wheelie_bin",
    "household/garbagecan",
    "household/trash_can",
    "town/houses/cartoon/city*",
    "town/houses/cartoon/townhall",
    "town/houses/cartoon/inn",
    "town/houses/cartoon/tavern",
    "people/cartoon/woman_police_officer_*",
    "people/cartoon/man_in_suit",
)
_SUNNY = (
    "space/planets/*",
    "clothes/sunglasses*",
    "clothes/bikini",
    "clothes/hats/sombrero",
    "clothes/hats/cowboy_hat",
    "household/umbrella",
    "sports/cartoon/volleyball",
    "food/fruit/cartoon/watermelon",
    "animals/lizards/*",
    "animals/mammals/camel/*",
    "seasonal/easter/daffodil",
    "plants/flowers/daffodil",
    "plants/flowers/marigold",
    "plants/flowers/red-gazania",
    "plants/flowers/yellow-flower",
)

#: Rule 3: the stamps (glob patterns on their image id) whose object belongs to the concept's
#: scene on a photo.
SCENE_FOLDERS: dict[str, tuple[str, ...]] = {
    "sky": (*_FLYING, "space/*", "animals/birds/*", "animals/insects/*butterfly*",
            "animals/insects/cartoon/dragonfly", "naturalforces/lightningbolt",
            "seasonal/newyears/fireworks*", "town/houses/cartoon/windmill",
            "town/houses/cartoon/lighthouse", "town/houses/cartoon/tower_*",
            "town/monuments/cartoon/eiffel_tower", "town/cartoon/watch_tower"),
    "clouds": (*_FLYING, "naturalforces/lightningbolt", "seasonal/winter/*",
               "animals/birds/*flying*", "animals/birds/swallow", "animals/birds/vulture",
               "animals/birds/*gull*", "town/houses/cartoon/windmill", "household/umbrella"),
    "water": (*_SEA, *_WATER_BIRDS, "animals/amphibians/*", "town/cartoon/docks",
              "town/cartoon/fountain", "town/cartoon/wishing_well",
              "town/houses/cartoon/fishery", "household/dishes/glass", "household/Washing*",
              "household/toilet", "household/rubberduck", "household/kettle"),
    "beach": ("animals/shellfish/*", "clothes/bikini", "clothes/sunglasses*",
              "household/umbrella", "sports/cartoon/volleyball", *_SHORE_BIRDS,
              "plants/trees/liberia-palm", "town/houses/cartoon/lighthouse", "town/cartoon/docks",
              "town/cartoon/shipwreck", "people/cartoon/mermaid", "vehicles/ship/sail_boat*",
              "animals/fish/lobster", "animals/fish/shrimp", "animals/mammals/aquatic/sea_lion",
              "food/fruit/cartoon/watermelon"),
    "sunset": (*_NIGHT, "space/planets/0_sun", "town/houses/cartoon/lighthouse"),
    "nighttime": _NIGHT,
    "reflection": ("household/dishes/*", "clothes/glasses*", "clothes/sunglasses*",
                   "household/electronics/*", "symbols/money/*/coins/*",
                   "seasonal/christmas/xmas_tp_bulb", "household/kettle",
                   "household/garbagecan", "household/trash_can", "vehicles/auto/*",
                   "household/Lightbulb", "hobbies/binoculars", "hobbies/camera_35mm",
                   "medical/*thermometer"),
    "tree": ("plants/trees/*", "seasonal/christmas/xmaswreath", "seasonal/leafrake",
             "food/nuts/*", "food/fruit/*pple*", "food/fruit/*herr*", "food/fruit/*pear",
             "food/fruit/*orange*", "food/fruit/*lemon*", "food/fruit/*pricot*",
             "food/fruit/mango", "food/fruit/*peach", "food/fruit/avocado", "animals/birds/owl",
             "animals/birds/magpie", "animals/birds/crow", "animals/birds/cuckoo",
             "animals/birds/quetzal", "animals/birds/tucan", "animals/birds/rainbow-lorikeet",
             "animals/birds/adelaide-rosella", "animals/mammals/rodents/squirrel",
             "animals/marsupials/koala", "animals/mammals/apes/*", "town/houses/cartoon/hunter",
             "town/houses/cartoon/wooden_cottage"),
    "leaf": ("plants/trees/holly_leaves", "seasonal/leafrake", "plants/lettuce_bolted",
             "food/vegetables/*lettuce"),
    "window": ("town/houses/cartoon/*",),
    "sign": ("town/roadsigns/*", "vehicles/locomotive/cartoon/trainSign"),
    "elk": ("animals/mammals/deer/wapiti",),
    "street": _STREET,
    "road": _STREET[:8],
    "sun": _SUNNY,
    "ocean": _SEA,
    "harbor": ("town/cartoon/docks", "vehicles/ship/*", "town/houses/cartoon/lighthouse",
               "town/houses/cartoon/fishery"),
    "snow": ("seasonal/winter/*", "people/cartoon/snowman", "town/houses/cartoon/igloo",
             "plants/trees/birch", "animals/mammals/deer/caribou",
             "seasonal/christmas/rudolf_reindeer"),
    "frost": ("seasonal/winter/snowflake", "plants/trees/birch", "plants/flowers/flower9"),
    "grass": ("animals/mammals/bovines/*", "animals/mammals/equines/*", "seasonal/clover",
              "seasonal/shamrock", "animals/insects/grasshopper"),
    "garden": ("plants/*", "household/tools/spade", "seasonal/leafrake",
               "household/home_compost_bin"),
    "military": ("military/*",),
    "sports": ("sports/*",),
    "toy": ("*/toys/*", "*toy*"),
    "town": ("town/houses/cartoon/*", "town/cartoon/*"),
    "cityscape": ("town/houses/cartoon/city*",),
    "buildings": ("town/houses/cartoon/*",),
    "rocks": ("seasonal/halloween/grave-*", "town/monuments/cartoon/magic_stones",
              "town/monuments/inukshuk-*", "town/monuments/cartoon/sword_in_the_stone"),
    "sand": ("animals/mammals/camel/*", "town/monuments/cartoon/pyramid", "animals/shellfish/*"),
    "railroad": ("vehicles/locomotive/*", "town/roadsigns/railroad_crossing"),
    "train": ("vehicles/locomotive/*",),
    "running": ("sports/stopwatch", "animals/mammals/cats/cheetah", "animals/birds/ostrich"),
    "mountain": ("animals/mammals/bovines/mountaingoat", "animals/mammals/bovines/yak"),
    "wedding": ("clothes/bowtie", "clothes/black_dress", "people/cartoon/man_in_suit"),
    "protest": ("town/flags/*",),
    "airport": ("vehicles/flight/planes/*",),
    "coral": ("animals/fish/coraltrout", "animals/fish/clownfish", "animals/fish/butterflyfish"),
    "surf": ("animals/mammals/aquatic/dolphin", "animals/mammals/aquatic/orca"),
    "swimmers": ("people/cartoon/mermaid", "clothes/bikini"),
    "lake": ("animals/birds/*duck*", "animals/birds/drake", "animals/birds/heron*",
             "animals/mammals/rodents/beaver", "animals/shellfish/murray-mussel"),
    "valley": ("town/houses/cartoon/farm", "town/houses/cartoon/windmill"),
    "glacier": ("animals/birds/*penguin*",),
    "rainbow": ("animals/birds/rainbow-lorikeet",),
    "waterfall": ("town/cartoon/fountain",),
    "earthquake": ("town/cartoon/ruins",),
    "tattoo": ("symbols/shapes/heart",),
    "temple": ("town/monuments/cartoon/pyramid", "town/houses/cartoon/monastery"),
    "bridge": ("town/cartoon/gate",),
    "map": ("household/globe",),
    "book": ("clothes/hats/mortarboard", "town/houses/cartoon/university"),
}  # fmt: skip


def _word_forms(concept: str) -> set[str]:
    """The concept's name with its plural and, for a plural name, its singular."""
    forms = {concept, concept + "s"}
    if concept.endswith("s"):
        forms.add(concept[:-1])
    return forms


def concept_labels(
    wn: WordNetCorpusReader, image_id: str, synset: str | None, tags: Iterable[str]
) -> dict[str, bool]:
    """Whether a stamp shows each of the 81 concepts, by the module's rule."""
    tag_set = set(tags)
    above: set[str] = set()
    if synset:
        start = wn.synset(synset)
        above = {start.name()} | {
            s.name() for s in start.closure(lambda s: s.hypernyms() + s.instance_hypernyms())
        }
    labels = {}
    for concept in CONCEPTS81:
        labels[concept] = bool(
            _word_forms(concept) & tag_set
            or above.intersection(CONCEPT_SYNSETS.get(concept, ()))
            or any(fnmatch.fnmatchcase(image_id, p) for p in SCENE_FOLDERS.get(concept, ()))
        )
    return labels
