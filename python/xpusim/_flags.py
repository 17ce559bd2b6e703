"""The keywords a command accepts, read from the CLI's own --help text.

The CLI (CLI11) prints one line per flag:
    --global-batch INT          Sequences per optimizer step (default ~4M tokens)
    --search                    Search the best parallel plan
Each becomes a keyword (``global_batch``), its type (INT, FLOAT, TEXT or none
for a bare flag, which takes True/False) and its description.
"""

import inspect
import keyword as _keyword
import re
from typing import NamedTuple, Optional

# "  --name TYPE  description" or "  -h,--help  description"; the type is an
# upper-case word (INT, FLOAT, TEXT, UINT, ...) possibly with a REQUIRED mark.
_LINE = re.compile(r"^\s+(?:-\w,)?--([a-z][a-z0-9-]*)((?:\s+[A-Z][A-Z:]*)*)\s{2,}(.*)$")
# Flags the module refuses or that make no sense in a call.
_SKIP = {"help", "json", "csv", "data-dir", "version"}


class Flag(NamedTuple):
    keyword: str  # the Python keyword: global_batch
    flag: str  # the CLI flag: --global-batch
    kind: Optional[str]  # INT, FLOAT, TEXT, ...; None for a bare flag (bool)
    required: bool
    help: str


def parse_help(text):
    """The flags of one command's --help text, in the CLI's order."""
    flags = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        m = _LINE.match(line)
        if not m or m.group(1) in _SKIP:
            continue
        words = m.group(2).split()
        kind = next((w for w in words if w not in ("REQUIRED",) and not w.startswith("Excludes")), None)
        desc = m.group(3).strip()
        # CLI11 wraps long descriptions onto indented continuation lines.
        for more in lines[i + 1:]:
            if more.startswith(" " * 20) and not more.strip().startswith("-"):
                desc += " " + more.strip()
            else:
                break
        name = m.group(1).replace("-", "_")
        if _keyword.iskeyword(name):
            name += "_"  # --from -> from_ (a Python keyword cannot be a keyword argument)
        flags.append(Flag(name, "--" + m.group(1), kind, "REQUIRED" in words, desc))
    return flags


_TYPES = {"INT": "int", "UINT": "int", "FLOAT": "float", "TEXT": "str", None: "bool"}


def docstring(summary, command, flags, extra=""):
    """A docstring listing every keyword with its type and the CLI's help."""
    out = [summary, "", f"Runs `xpusim {command} ... --json` in-process and returns its JSON object as a dict."]
    if extra:
        out += ["", extra]
    if flags:
        out += ["", "Keyword arguments (the CLI's flags; '-' becomes '_'; None leaves a flag at its default):"]
        for f in flags:
            req = ", required" if f.required else ""
            out.append(f"    {f.keyword} ({_TYPES[f.kind] if f.kind in _TYPES else f.kind.lower()}{req}): {f.help}")
    out += ["", "Raises xpusim.Error (a ValueError) with the CLI's message for bad input,",
            "xpusim.InternalError (a RuntimeError) for a bug."]
    return "\n".join(out)


def signature(flags, skip=()):
    """A keyword-only signature for help() and IDEs: required flags first."""
    params = []
    for f in sorted(flags, key=lambda f: not f.required):
        if f.keyword in skip:
            continue
        default = inspect.Parameter.empty if f.required else None
        params.append(inspect.Parameter(f.keyword, inspect.Parameter.KEYWORD_ONLY, default=default))
    return inspect.Signature(params)
