"""One exception type for bad input, so that the workflow can print it as a single clear line.

Every message names the file, key or word at fault and says what was expected; scripts let it
propagate and :func:`crossmodal.logs.run_script` turns it into a one-line error and exit status 1.
"""


class InputError(ValueError):
    """Raised when an input (file, config value, word) is missing or not what a stage expects."""
