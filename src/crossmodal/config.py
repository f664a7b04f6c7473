"""Config validation with messages a researcher can act on.

Snakemake's own ``validate`` reports the first JSON-Schema failure with the schema dumped after
it; here the message is one line that names the dotted key, the value found and what the schema
expects, and defaults from the schema are filled in (so rules can index config directly).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, MutableMapping
from typing import Any

import jsonschema
import yaml
from jsonschema.exceptions import ValidationError, best_match

from crossmodal.errors import InputError


def _fill_defaults(validator_class: type) -> type:
    """A validator class that also writes each property's schema ``default`` into the instance
    when the key is absent, before validating it (so nested defaults are filled too)."""
    validate_properties = validator_class.VALIDATORS["properties"]

    def set_defaults(
        validator: Any, properties: dict, instance: Any, schema: dict
    ) -> Iterator[ValidationError]:
        if isinstance(instance, MutableMapping):
            for key, subschema in properties.items():
                if "default" in subschema and key not in instance:
                    instance[key] = _copy(subschema["default"])
        yield from validate_properties(validator, properties, instance, schema)

    return jsonschema.validators.extend(validator_class, {"properties": set_defaults})


def _copy(value: Any) -> Any:
    return yaml.safe_load(yaml.safe_dump(value))


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
        return f"config key {key}: {error.message}"
    description = error.schema.get("description")
    expectation = f" (expected: {description})" if description else ""
    return f"config key {key}: {error.message}{expectation}"


def validate_config(config: dict, schema_path: str | os.PathLike[str]) -> dict:
    """Validate ``config`` in place against the YAML JSON-Schema at ``schema_path``, filling in
    defaults; raise :class:`InputError` with one line per problem (the most relevant first)."""
    with open(schema_path, encoding="utf-8") as handle:
        schema = yaml.safe_load(handle)
    base = jsonschema.validators.validator_for(schema)
    validator = _fill_defaults(base)(schema)
    errors = list(validator.iter_errors(config))
    if errors:
        first = best_match(errors)
        rest = [describe(e) for e in errors if e is not first]
        raise InputError("\n".join([describe(first), *rest]))
    return config
