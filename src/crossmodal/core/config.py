"""Config validation with messages a researcher can act on.

Snakemake's own ``validate`` reports the first JSON-Schema failure with the schema dumped after
it; here the message is one line that names the dotted key, the value found and what the schema
expects, and defaults from the schema are filled in (so rules can index config directly).

Values given on the command line inside a mapping (``--config "vision={codebook: {k: 512}}"``)
reach the config as strings, because Snakemake parses them with YAML's BaseLoader; where the
schema asks for an integer, number or boolean such a string is converted before validation, so
overrides work as a user would type them (a string that does not convert is reported as usual).
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from typing import Any

import jsonschema
import yaml
from jsonschema.exceptions import ValidationError, best_match
from jsonschema.protocols import Validator

from crossmodal.core.config_files import apply_switches, check_overlays
from crossmodal.core.errors import InputError
from crossmodal.core.references import check_references

# libyaml's C parser where PyYAML was built with it: the schema is read on every Snakemake run.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_SCALARS: dict[str, Callable[[str], Any]] = {
    "integer": lambda text: int(text) if re.fullmatch(r"[+-]?\d+", text.strip()) else text,
    "number": lambda text: float(text) if _is_float(text) else text,
    "boolean": lambda text: {"true": True, "false": False}.get(text.strip().lower(), text),
}


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _resolve(root: dict, subschema: dict) -> dict:
    """Follow a local ``$ref`` (``#/$defs/...``), the only kind the workflow's schema uses."""
    while "$ref" in subschema and subschema["$ref"].startswith("#/"):
        target: Any = root
        for part in subschema["$ref"][2:].split("/"):
            target = target[part]
        subschema = {**target, **{k: v for k, v in subschema.items() if k != "$ref"}}
    return subschema


def _coerce(value: Any, subschema: dict) -> Any:
    """A command-line string converted to the scalar type ``subschema`` asks for, if it can be
    (``null`` too, where the schema allows it)."""
    if not isinstance(value, str):
        return value
    kinds = subschema.get("type", [])
    kinds = [kinds] if isinstance(kinds, str) else kinds
    if "string" in kinds:
        return value
    if "null" in kinds and value.strip() in ("null", "~"):
        return None
    for kind in kinds:
        converted = _SCALARS[kind](value) if kind in _SCALARS else value
        if converted is not value:
            return converted
    return value


def _fill_defaults(validator_class: type[Validator], root: dict) -> type[Validator]:
    """A validator class that also writes each property's schema ``default`` into the instance
    when the key is absent, before validating it (so nested defaults are filled too), and
    converts command-line strings to the scalar type the schema expects."""
    validate_properties = validator_class.VALIDATORS["properties"]

    def set_defaults(
        validator: Any, properties: dict, instance: Any, schema: dict
    ) -> Iterator[ValidationError]:
        if isinstance(instance, MutableMapping):
            for key, subschema in properties.items():
                subschema = _resolve(root, subschema)
                if key in instance:
                    instance[key] = _coerce(instance[key], subschema)
                elif "default" in subschema:
                    instance[key] = _copy(subschema["default"])
        yield from validate_properties(validator, properties, instance, schema)

    return jsonschema.validators.extend(validator_class, {"properties": set_defaults})


def _copy(value: Any) -> Any:
    return copy.deepcopy(value)


# A top-level section is missing: most often a --configfile meant to add to the demo config,
# which it replaces (see the Snakefile).
_REPLACED_DEMO = (
    " (a --configfile replaces config/config.yaml; to add a file to it, name both: "
    "--configfile config/config.yaml yours.yaml)"
)


def _key(error: ValidationError) -> str:
    path = ".".join(str(part) for part in error.absolute_path)
    return path or "(top level)"


def describe(error: ValidationError) -> str:
    """One line: which key, what was found, what is expected (with the key's description)."""
    key = _key(error)
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        unexpected = sorted(set(error.instance) - set(allowed))
        where = key if error.absolute_path else "config"
        hint = f"; allowed keys: {', '.join(allowed)}" if allowed else ""
        return f"config: unknown key(s) {', '.join(unexpected)} in {where}{hint}"
    if error.validator == "required":
        hint = _REPLACED_DEMO if not error.absolute_path else ""
        return f"config key {key}: {error.message}{hint}"
    description = error.schema.get("description")
    expectation = f" (expected: {description})" if description else ""
    return f"config key {key}: {error.message}{expectation}"


def validate_config(config: dict, schema_path: str | os.PathLike[str]) -> dict:
    """Validate ``config`` in place against the YAML JSON-Schema at ``schema_path``, filling in
    defaults; raise :class:`InputError` with one line per problem (the most relevant first)."""
    with open(schema_path, encoding="utf-8") as handle:
        schema = yaml.load(handle, Loader=_LOADER)
    base = jsonschema.validators.validator_for(schema)
    validator = _fill_defaults(base, schema)(schema)
    errors = list(validator.iter_errors(config))
    if errors:
        first = best_match(errors)
        rest = [describe(e) for e in errors if e is not first]
        raise InputError("\n".join([describe(first), *rest]))
    return config


def check_config(
    config: dict,
    schema_path: str | os.PathLike[str],
    configfiles: Sequence[str | os.PathLike[str]] = (),
) -> dict:
    """The workflow's one config check at parse time: config files whose empty mappings the
    merge lost (:func:`crossmodal.core.config_files.check_overlays`, ``configfiles`` in the
    order given), :func:`validate_config` (values, defaults filled in), the switches
    (:func:`crossmodal.core.config_files.apply_switches`), then
    :func:`crossmodal.core.references.check_references` (names that refer to other sections,
    bring-your-own files)."""
    check_overlays(config, configfiles)
    validate_config(config, schema_path)
    apply_switches(config)
    check_references(config)
    return config
