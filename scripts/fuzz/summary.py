"""Figures of a schemathesis run from its HAR report: requests made, answers by status
class, and the 5xx among them (documented LNPay form-error 500s counted apart).

usage: summary.py <har file>
"""

import json
import sys
from collections import Counter

CRASH_MESSAGE = "An internal server error occurred."


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as f:
        entries = json.load(f)["log"]["entries"]
    classes = Counter(f"{entry['response']['status'] // 100}xx" for entry in entries)
    documented_500 = crashes = 0
    for entry in entries:
        status = entry["response"]["status"]
        if status < 500:
            continue
        try:
            message = json.loads(entry["response"]["content"].get("text") or "{}").get("message")
        except ValueError:
            message = None
        if status == 500 and message not in (None, CRASH_MESSAGE):
            documented_500 += 1
        else:
            crashes += 1
    print(f"fuzz requests: {len(entries)}  by status: {dict(sorted(classes.items()))}")
    print(f"documented LNPay form-error 500s: {documented_500}  5xx found (server errors): {crashes}")


if __name__ == "__main__":
    main()
