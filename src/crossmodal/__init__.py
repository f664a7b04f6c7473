"""crossmodal: reproductions of three studies of how images and words meet.

The science lives in small modules named for their job (see ``DESIGN.md`` in the shared notes);
Snakemake scripts under ``workflow/scripts`` only adapt ``snakemake.*`` objects to them.
"""

__version__ = "0.1.0"
