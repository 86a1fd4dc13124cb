#!/usr/bin/env python3
"""Adds emoji to a JSON Lines corpus: the social-media text workload of issue 14.

Every tenth word of each document's text (words split at U+0020; `--every` changes the step)
gets an emoji appended, cycling through ten of them: eight single scalars above U+FFFF (four
UTF-8 bytes each), a heart with a variation selector and a flag (two regional indicators).
Ids stay as they are, so the documents keep their words, their reuse and their duplicates, with
scalars outside the Basic Multilingual Plane among them, as in posts and comments.

    python3 Benchmarks/scripts/emoji.py news20k.jsonl > emoji20k.jsonl
"""
import argparse
import json
import sys

EMOJI = ["😀", "🙂", "👍", "🔥", "🎉", "❤️", "🇺🇸", "😂", "🚀", "💯"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="JSON Lines with id and text fields")
    parser.add_argument("--documents", type=int, default=None, help="only the first N documents")
    parser.add_argument("--every", type=int, default=10, help="an emoji after every N-th word (default: 10)")
    arguments = parser.parse_args()
    if arguments.every < 1:
        parser.error("--every must be at least 1")
    written = 0
    with open(arguments.corpus, encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            if arguments.documents is not None and written >= arguments.documents:
                break
            record = json.loads(line)
            words = record["text"].split(" ")
            for index in range(arguments.every - 1, len(words), arguments.every):
                words[index] += EMOJI[(index // arguments.every) % len(EMOJI)]
            record["text"] = " ".join(words)
            sys.stdout.write(json.dumps(record, ensure_ascii=False))
            sys.stdout.write("\n")
            written += 1
    if written == 0:
        print("emoji.py: no documents in " + arguments.corpus, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
