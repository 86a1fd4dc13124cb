"""The loop the corpus-rewriting scripts share (`nonlatin.py`, `emoji.py`): each record of a JSON
Lines corpus read, its text rewritten, the record written to standard output."""
import json
import sys
from typing import Callable, Optional


def rewrite_texts(path: str, rewrite: Callable[[str], str], documents: Optional[int] = None,
                  escaped: bool = False, name: str = "rewrite") -> int:
    """Writes each record of `path` (blank lines skipped; only the first `documents` if given)
    with its "text" field passed through `rewrite`, as UTF-8 JSON, or with non-ASCII characters
    escaped (`escaped`). Returns the exit status: 1, with a message naming `name`, when the
    corpus held no document."""
    written = 0
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            if documents is not None and written >= documents:
                break
            record = json.loads(line)
            record["text"] = rewrite(record["text"])
            sys.stdout.write(json.dumps(record, ensure_ascii=escaped))
            sys.stdout.write("\n")
            written += 1
    if written == 0:
        print(f"{name}: no documents in {path}", file=sys.stderr)
        return 1
    return 0
