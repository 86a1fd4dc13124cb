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
import sys

from corpus_rewrite import rewrite_texts

EMOJI = ["😀", "🙂", "👍", "🔥", "🎉", "❤️", "🇺🇸", "😂", "🚀", "💯"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="JSON Lines with id and text fields")
    parser.add_argument("--documents", type=int, default=None, help="only the first N documents")
    parser.add_argument("--every", type=int, default=10, help="an emoji after every N-th word (default: 10)")
    arguments = parser.parse_args()
    if arguments.every < 1:
        parser.error("--every must be at least 1")
    every = arguments.every

    def rewrite(text: str) -> str:
        words = text.split(" ")
        for index in range(every - 1, len(words), every):
            words[index] += EMOJI[(index // every) % len(EMOJI)]
        return " ".join(words)

    return rewrite_texts(arguments.corpus, rewrite, arguments.documents, name="emoji.py")

if __name__ == "__main__":
    sys.exit(main())
