#!/usr/bin/env python3
"""Rewrites a JSON Lines corpus in a non-Latin script: the non-Latin text workload of issue 14.

Every Latin letter of each document's text becomes a letter of another script at the same place
in the alphabet: with `--script cyrillic` (the default) a Cyrillic letter (a-z to а-щ, A-Z to
А-Щ: two UTF-8 bytes instead of one), with `--script ideographs` a CJK ideograph (a-z to
U+4E00-U+4E19, A-Z to U+4E20-U+4E39: three bytes; words stay separated by spaces unless
`--unspaced` drops the spaces, as Chinese and Japanese are written, for character shingles).
Ids, digits, punctuation and other spacing stay as they are, so the documents keep their
words, their reuse and their duplicates, in a script where almost every byte is part of a
multi-byte scalar. With `--escaped` every non-ASCII character is written as a `\\uXXXX` escape
(Python's `json.dumps` default, as many datasets are written) instead of as UTF-8.

    python3 Benchmarks/scripts/nonlatin.py news20k.jsonl > cyrillic20k.jsonl
    python3 Benchmarks/scripts/nonlatin.py --script ideographs --documents 2000 news5k.jsonl > ideographs2k.jsonl
    python3 Benchmarks/scripts/nonlatin.py --script ideographs --unspaced news20k.jsonl > unspaced20k.jsonl
    python3 Benchmarks/scripts/nonlatin.py --escaped news20k.jsonl > cyrillic20k-escaped.jsonl
"""
import argparse
import sys

from corpus_rewrite import rewrite_texts

SCRIPTS = {
    "cyrillic": {ord("a") + i: chr(0x430 + i) for i in range(26)} | {ord("A") + i: chr(0x410 + i) for i in range(26)},
    "ideographs": {ord("a") + i: chr(0x4E00 + i) for i in range(26)} | {ord("A") + i: chr(0x4E20 + i) for i in range(26)},
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="JSON Lines with id and text fields")
    parser.add_argument("--documents", type=int, default=None, help="only the first N documents")
    parser.add_argument("--script", choices=sorted(SCRIPTS), default="cyrillic", help="the letters to write (default: cyrillic)")
    parser.add_argument("--unspaced", action="store_true", help="drop the spaces (U+0020) between words")
    parser.add_argument("--escaped", action="store_true", help="write non-ASCII characters as \\uXXXX escapes")
    arguments = parser.parse_args()
    letters = SCRIPTS[arguments.script]

    def rewrite(text: str) -> str:
        text = text.translate(letters)
        return text.replace(" ", "") if arguments.unspaced else text

    return rewrite_texts(arguments.corpus, rewrite, arguments.documents, arguments.escaped, "nonlatin.py")

if __name__ == "__main__":
    sys.exit(main())
