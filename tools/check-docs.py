#!/usr/bin/env python3
"""Fails on a public declaration of include/ that carries no documentation (make test runs it).

A declaration (function prototype, macro, typedef, struct/union/enum, enum member) counts as
documented when a comment ends on the line just above it, when it has a comment on its own line
(`/**< ... */`, `/* ... */`, `// ...`), or when it sits in a block of adjacent lines (no blank
line between) that a comment opens: one comment may document a group of related macros or enum
members, as libevent's headers do. Include guards, `#include`s and the library's internal
helper macros (EVENT_RS_*, names starting with `_`) are not public declarations.

  tools/check-docs.py [--list] [header ...]    default: every header under include/
  --list  prints every undocumented declaration (default: the first 40 and a count per file)
"""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SKIP_MACRO = re.compile(r"^(EVENT_RS_|EVENT2_.*_H|_|EV_H_|EVENT_H_|EVHTTP_H_|EVDNS_H_|EVRPC_H_|EVUTIL_H_)")


def headers(args):
    if args:
        return args
    out = []
    for d, _, files in os.walk(os.path.join(ROOT, "include")):
        out += [os.path.join(d, f) for f in files if f.endswith(".h")]
    return sorted(out)


def strip_strings(line):
    return re.sub(r'"(\\.|[^"\\])*"', '""', line)


def declarations(lines):
    """Yields (index, name) for each public declaration's first line."""
    depth = 0          # brace depth (inside a struct/enum body: members)
    enum_depth = None  # depth of an enum body, whose members are declarations too
    in_comment = False
    cont = False       # a preprocessor line continued with a backslash
    pending_proto = False
    for i, raw in enumerate(lines):
        line = strip_strings(raw)
        # Drop comments (keeping track of multi-line ones).
        code = ""
        j = 0
        while j < len(line):
            if in_comment:
                k = line.find("*/", j)
                if k < 0:
                    j = len(line)
                else:
                    in_comment = False
                    j = k + 2
            elif line.startswith("/*", j):
                in_comment = True
                j += 2
            elif line.startswith("//", j):
                break
            else:
                code += line[j]
                j += 1
        s = code.strip()
        if cont:
            cont = s.endswith("\\")
            continue
        if not s:
            continue
        if s.startswith("#"):
            cont = s.endswith("\\")
            m = re.match(r"#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)", s)
            if m and depth == 0 and not SKIP_MACRO.match(m.group(1)):
                yield i, m.group(1)
            continue
        if enum_depth is not None and depth == enum_depth:
            m = re.match(r"([A-Za-z_][A-Za-z0-9_]*)\s*(=|,|$)", s)
            if m:
                yield i, m.group(1)
        if depth == 0 and not pending_proto:
            m = re.match(r"(typedef\s.*?)?\b(struct|union|enum)\s+([A-Za-z_][A-Za-z0-9_]*)?\s*\{", s)
            if m:
                yield i, (m.group(3) or "anonymous " + m.group(2))
                if m.group(2) == "enum":
                    enum_depth = 1
            elif s.startswith("typedef"):
                names = re.findall(r"\(\s*\*\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)|([A-Za-z_][A-Za-z0-9_]*)\s*(?:\[[^]]*\])?\s*;", s)
                name = next((a or b for a, b in names), "typedef")
                yield i, name
            elif re.match(r"(struct|union|enum)\s+[A-Za-z_][A-Za-z0-9_]*\s*;", s):
                pass  # a forward declaration: documented where it is defined
            elif re.match(r"(extern\s+\"C\"|extern\s*$|}\s*$)", s):
                pass
            else:
                m = re.search(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*\(", s)
                if m and not s.startswith(("if", "return")):
                    yield i, m.group(1)
                    pending_proto = not s.rstrip().endswith(";")
        elif pending_proto and s.endswith(";"):
            pending_proto = False
        # extern "C" { ... } does not nest declarations.
        if not re.match(r'extern\s+""\s*\{', s):
            depth = max(0, depth + s.count("{") - s.count("}"))
        if enum_depth is not None and depth < enum_depth:
            enum_depth = None


def has_comment(line):
    return "/*" in line or "//" in line or line.strip().startswith("*")


def documented(lines, i):
    if has_comment(lines[i]):
        return True
    j = i - 1
    # Walk up through the block of adjacent non-blank lines; a comment anywhere above in the
    # block documents it (a group comment), as does one ending on the line just above.
    while j >= 0 and lines[j].strip():
        if has_comment(lines[j]) and not lines[j].lstrip().startswith("#"):
            return True
        if lines[j].strip().endswith("*/"):
            return True
        j -= 1
    return False


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    show_all = "--list" in sys.argv
    missing = []
    total = 0
    for h in headers(args):
        with open(h, encoding="utf-8", errors="replace") as f:
            lines = f.read().split("\n")
        for i, name in declarations(lines):
            total += 1
            if not documented(lines, i):
                missing.append((os.path.relpath(h, ROOT), i + 1, name))
    if missing:
        per_file = {}
        for f, _, _ in missing:
            per_file[f] = per_file.get(f, 0) + 1
        for f, n, name in (missing if show_all else missing[:40]):
            print(f"{f}:{n}: {name} is not documented")
        if not show_all:
            for f, c in sorted(per_file.items()):
                print(f"  {f}: {c} undocumented")
        print(f"docs: FAIL ({len(missing)} of {total} public declarations undocumented)")
        return 1
    print(f"docs: ok ({total} public declarations, each documented)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
