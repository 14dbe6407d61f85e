#!/usr/bin/env python3
"""Add generated images to a brief benchmark corpus, for timing image processing.

Usage:
    python3 /work/shared/bench/gen_corpus.py --flavor brief --n 1000 --out /tmp/corpus
    python3 benches/images.py /tmp/corpus              # 200 images
    python3 benches/images.py /tmp/corpus --n 100 --seed 2
    brief build --root /tmp/corpus                      # cold: every variant made
    brief build --root /tmp/corpus                      # warm: every variant cached
    brief clean --root /tmp/corpus                      # back to cold

Writes N PNG files under CORPUS/assets/bench-images/ (1200 to 2400 pixels wide, 3:2,
smooth gradients with grain, so that each decodes and resizes like a photograph yet stays
a few hundred kilobytes on disk), and appends one `![…](/assets/bench-images/…)` line to
each of the first N articles in name order, so N articles show one
image each. Deterministic for a given seed. Run it once per corpus: a second run refuses
to add the images again. Pure Python (zlib only); no imaging library needed.
"""
import argparse
import os
import random
import struct
import sys
import zlib


def chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def picture(width, height, r):
    """RGB rows: a diagonal gradient in two random colours, with grain that varies by row."""
    a = [r.randrange(256) for _ in range(3)]
    b = [r.randrange(256) for _ in range(3)]
    base = bytearray()
    for x in range(width):
        t = x / (width - 1)
        base += bytes(int(a[c] + (b[c] - a[c]) * t) for c in range(3))
    # A few rows of grain, each a byte table that nudges every value a little.
    grains = []
    for _ in range(8):
        shift = r.randrange(-6, 7)
        grains.append(bytes(min(255, max(0, v + shift)) for v in range(256)))
    shade = [bytes(min(255, max(0, v - k)) for v in range(256)) for k in range(0, 64, 2)]
    raw = bytearray()
    for y in range(height):
        row = bytes(base).translate(shade[y * len(shade) // height])
        row = row.translate(grains[(y * 7 + r.randrange(3)) % len(grains)])
        raw += b"\x00" + row
    return bytes(raw)


def png(width, height, r):
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(picture(width, height, r), 6))
            + chunk(b"IEND", b""))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("corpus", help="a folder made by gen_corpus.py --flavor brief")
    p.add_argument("--n", type=int, default=200, help="how many images (default 200)")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    articles = os.path.join(args.corpus, "content", "articles")
    if not os.path.isdir(articles):
        sys.exit(f"{articles} is not there: make the corpus with gen_corpus.py --flavor brief first")
    names = sorted(n for n in os.listdir(articles) if n.endswith(".md"))
    if len(names) < args.n:
        sys.exit(f"the corpus has {len(names)} articles, fewer than --n {args.n}")
    out = os.path.join(args.corpus, "assets", "bench-images")
    if os.path.exists(out):
        sys.exit(f"{out} exists already: images were added to this corpus before")
    os.makedirs(out)
    r = random.Random(args.seed)
    total = 0
    for i, name in enumerate(names[: args.n]):
        width = r.randrange(1200, 2401, 8)
        height = width * 2 // 3
        file = f"img-{i:04d}.png"
        data = png(width, height, r)
        total += len(data)
        with open(os.path.join(out, file), "wb") as f:
            f.write(data)
        with open(os.path.join(articles, name), "a") as f:
            f.write(f"\n![Generated picture {i}, {width} by {height}](/assets/bench-images/{file})\n")
    print(f"wrote {args.n} images ({total / 1e6:.1f} MB) to {out} and referenced them from "
          f"the first {args.n} articles")


if __name__ == "__main__":
    main()
