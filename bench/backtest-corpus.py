#!/usr/bin/env python3
"""The back-test corpus of `make bench`: DIR/events.jsonl (N CommVoice events with about
5 KB of transcript each), DIR/rules.yaml (100 transcript rules of three phrases each) and
DIR/phrases.txt (the same 300 phrases, one per line, for ripgrep).

    backtest-corpus.py DIR [EVENTS] [SEED]
"""
import json
import random
import sys

WORDS = ("price quote demo policy renewal insurance solar panel roof energy bill savings plan offer "
         "email text week monday friday morning evening later today tomorrow busy wife husband "
         "manager office home number person list remove calling sure maybe yes okay great fine "
         "cost contract agree sign appointment schedule visit thanks please again second detail "
         "the a and to of in for on with that this it is was we you they have be can will would").split()
OUTCOMES = ["interested", "not_interested", "callback", "voicemail", "do_not_call", "wrong_number"]


def main(argv):
    directory = argv[1]
    count = int(argv[2]) if len(argv) > 2 else 20000
    rng = random.Random(int(argv[3]) if len(argv) > 3 else 9)
    phrases = set()
    while len(phrases) < 300:
        phrases.add(" ".join(rng.choice(WORDS[:60]) for _ in range(rng.choice([2, 3]))))
    phrases = sorted(phrases)
    rng.shuffle(phrases)
    with open(f"{directory}/phrases.txt", "w") as out:
        out.write("\n".join(phrases) + "\n")
    with open(f"{directory}/rules.yaml", "w") as out:
        out.write(f"outcomes: [{', '.join(OUTCOMES)}]\nrules:\n")
        for index in range(100):
            group = phrases[index * 3:index * 3 + 3]
            speaker = "customer" if index % 3 else "any"
            out.write(f"  - name: rule-{index:03d}\n    outcome: {OUTCOMES[index % len(OUTCOMES)]}\n")
            out.write(f"    when: {{transcript: {{speaker: {speaker}, any: {json.dumps(group)}}}}}\n")
    with open(f"{directory}/events.jsonl", "w") as out:
        for index in range(count):
            lines, size = [], 0
            while size < 5000:
                words = [rng.choice(WORDS) for _ in range(rng.randint(6, 18))]
                if rng.random() < 0.03:
                    words[rng.randrange(len(words))] = rng.choice(phrases)
                if rng.random() < 0.05:
                    words.insert(0, "not")
                line = ("User: " if len(lines) % 2 else "AI: ") + " ".join(words) + rng.choice([".", "?", ","])
                lines.append(line)
                size += len(line) + 1
            event = {"id": f"bench-{index}", "call_outcome": rng.choice(OUTCOMES + [""]), "transcript": "\n".join(lines)}
            out.write(json.dumps(event) + "\n")


if __name__ == "__main__":
    main(sys.argv)
