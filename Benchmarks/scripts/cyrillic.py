#!/usr/bin/env python3
"""Rewrites a JSON Lines corpus in Cyrillic letters: the non-Latin text workload of issue 14.

Every Latin letter of each document's text becomes the Cyrillic letter at the same place in
the alphabet (a-z to а-щ, A-Z to А-Щ: two UTF-8 bytes instead of one); ids, digits,
punctuation and spacing stay as they are, so the documents keep their words, their reuse and
their duplicates, in a script where almost every byte is part of a multi-byte scalar.

    python3 Benchmarks/scripts/cyrillic.py news20k.jsonl > cyrillic20k.jsonl
"""
import argparse
import json
import sys

LETTERS = {ord("a") + i: chr(0x430 + i) for i in range(26)} | {ord("A") + i: chr(0x410 + i) for i in range(26)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="JSON Lines with id and text fields")
    parser.add_argument("--documents", type=int, default=None, help="only the first N documents")
    arguments = parser.parse_args()
    written = 0
    with open(arguments.corpus, encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            if arguments.documents is not None and written >= arguments.documents:
                break
            record = json.loads(line)
            record["text"] = record["text"].translate(LETTERS)
            sys.stdout.write(json.dumps(record, ensure_ascii=False))
            sys.stdout.write("\n")
            written += 1
    if written == 0:
        print("cyrillic.py: no documents in " + arguments.corpus, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
