#!/usr/bin/env python3
"""What a reader's first search costs, from a built site's pagefind/ folder.

    python3 benches/search_bytes.py OUTPUT_FOLDER

Computed from the files, not measured in a browser: the files pagefind.js loads for a first
query are its own script and worker, pagefind-entry.json, the language's WebAssembly, the
meta index, then one index chunk (the one whose word range holds the query's word) and one
fragment per result shown. A typical word is taken as the median chunk and the median
fragment, the worst as the largest of each. brief's search.js (the theme's box) is counted
too. Sizes are bytes as published (Pagefind gzips its index files itself; the two scripts
are counted uncompressed, as a host that does not compress would send them).

Python 3 standard library only. Prints a Markdown table.
"""

import json
import os
import statistics
import sys


def size(path):
    return os.path.getsize(path)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    folder = os.path.join(out, "pagefind")
    if not os.path.isdir(folder):
        sys.exit(f"search_bytes.py: {folder} does not exist: was the site built with search on?")
    with open(os.path.join(folder, "pagefind-entry.json"), encoding="utf-8") as f:
        entry = json.load(f)
    language, meta = next(iter(entry["languages"].items()))
    fixed = {
        "pagefind.js": size(os.path.join(folder, "pagefind.js")),
        "pagefind-worker.js": size(os.path.join(folder, "pagefind-worker.js")),
        "pagefind-entry.json": size(os.path.join(folder, "pagefind-entry.json")),
        f"wasm.{language}.pagefind": size(os.path.join(folder, f"wasm.{language}.pagefind")),
        "meta index": size(os.path.join(folder, f"pagefind.{meta['hash']}.pf_meta")),
    }
    search_js = os.path.join(out, "assets", "search.js")
    if os.path.exists(search_js):
        fixed["assets/search.js"] = size(search_js)
    chunks = [size(os.path.join(folder, "index", n)) for n in os.listdir(os.path.join(folder, "index"))]
    fragments = [size(os.path.join(folder, "fragment", n)) for n in os.listdir(os.path.join(folder, "fragment"))]
    total = 0
    for root, _, files in os.walk(folder):
        total += sum(size(os.path.join(root, n)) for n in files)
    base = sum(fixed.values())
    typical = base + statistics.median(chunks) + statistics.median(fragments)
    worst = base + max(chunks) + max(fragments)
    eight = base + statistics.median(chunks) + 8 * statistics.median(fragments)
    kb = lambda b: f"{b / 1024:.0f}"
    print(f"| index on disk | {kb(total)} KB in {sum(len(f) for _, _, f in os.walk(folder))} files ({len(chunks)} index chunks, {len(fragments)} fragments) |")
    print(f"| fixed files of a first search | {kb(base)} KB ({', '.join(f'{k} {kb(v)}' for k, v in fixed.items())}) |")
    print(f"| index chunk: median / largest | {kb(statistics.median(chunks))} / {kb(max(chunks))} KB |")
    print(f"| fragment: median / largest | {statistics.median(fragments):.0f} / {max(fragments)} bytes |")
    print(f"| first search, a typical word, one result | {kb(typical)} KB |")
    print(f"| first search, a typical word, 8 results shown | {kb(eight)} KB |")
    print(f"| first search, worst chunk and fragment | {kb(worst)} KB |")


if __name__ == "__main__":
    main()
