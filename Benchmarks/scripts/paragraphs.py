#!/usr/bin/env python3
"""Splits a JSON Lines corpus into its paragraphs: the short-document workload of issue 14.

Each document's text is split at blank lines ("\\n\\n"); every paragraph of at least
--minimum-words words becomes one record {"id": "<id>/<n>", "text": <paragraph>}, in input order.

    python3 Benchmarks/scripts/paragraphs.py news100k.jsonl > paragraphs.jsonl
"""
import argparse
import json
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="JSON Lines with id and text fields")
    parser.add_argument("--minimum-words", type=int, default=20)
    arguments = parser.parse_args()
    written = 0
    out = sys.stdout
    with open(arguments.corpus, encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            record = json.loads(line)
            for number, paragraph in enumerate(record["text"].split("\n\n")):
                if len(paragraph.split()) >= arguments.minimum_words:
                    out.write(json.dumps({"id": f"{record['id']}/{number}", "text": paragraph}, ensure_ascii=False))
                    out.write("\n")
                    written += 1
    print(f"{written} paragraphs", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
