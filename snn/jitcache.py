"""Keys for numba's on-disk cache of jitted functions that inline helpers from other modules.

Numba keys a cached function on its own source file and bytecode only: an edit to an
``inline="always"`` helper in another module would leave the cached machine code of its callers
stale (they would go on running the old helper). Numba hashes a function's closure values into
the key, so a caller built in a factory that holds :func:`source_stamp` of the helpers' modules
(and names it in its body) is compiled again whenever those modules change. A closure value must
pickle the same in every process (a string does; a jitted function does not), or every fresh
process compiles the caller again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import ModuleType


def source_stamp(*modules: ModuleType) -> str:
    """sha256 (hex) of the source files of ``modules``, in the order given."""
    h = hashlib.sha256()
    for m in modules:
        h.update(Path(m.__file__).read_bytes())
    return h.hexdigest()
