#!/usr/bin/env python3
"""An independent reading of SPEC §3 (rules, phrases, speakers, negation, first match wins)
and of §5 (replay's transitions and per-rule counts), for outcomed's tests.

    spec3.py DIR [--seed N] [--events N] [--rules N]

writes DIR/rules.yaml, DIR/events.jsonl (generated from the seed) and DIR/expected.json (what
`outcomed replay --events DIR/events.jsonl --config DIR/rules.yaml --json` must print, as
computed here). It shares no code with outcomed: it works from the SPEC's text alone.
"""
import functools
import json
import random
import sys
import unicodedata

NEGATORS = set("no not never dont doesnt didnt isnt arent wasnt werent wont cant cannot couldnt "
               "shouldnt wouldnt aint nothing nobody neither nor without hardly".split())
CLAUSE_ENDS = set(",;:.!?\n")
APOSTROPHES = set("'\u2019")
OUTCOMES = ["interested", "not_interested", "callback", "voicemail", "do_not_call", "wrong_number"]
WORDS = ("price quote demo policy renewal insurance solar panel roof energy bill savings plan offer "
         "email text week monday friday morning evening later today tomorrow busy wife husband "
         "manager office home number wrong person list remove stop calling interested sure maybe "
         "yes okay great fine cost contract agree sign appointment schedule visit cafe resume "
         "naive thanks please again second detail").split()
DISPLAY = {"cafe": ["café", "CAFÉ", "cafe"], "resume": ["résumé", "resume"], "naive": ["naïve", "naive"]}
CONTRACTIONS = ["don't", "can't", "isn't", "won't", "didn't", "Don\u2019t", "wouldn't"]


# ---- SPEC §3 reading -------------------------------------------------------------------

def fold(text):
    """Case and diacritics ignored, apostrophes dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c not in APOSTROPHES).lower()


@functools.lru_cache(maxsize=None)
def tokens(text):
    """Words (runs of letters and digits) with the clause each is in."""
    words, clauses, clause, current = [], [], 0, ""
    for c in fold(text):
        if c.isalnum():
            current += c
            continue
        if current:
            words.append(current)
            clauses.append(clause)
            current = ""
        if c in CLAUSE_ENDS:
            clause += 1
    if current:
        words.append(current)
        clauses.append(clause)
    return tuple(words), tuple(clauses)


# What decided a phrase's absence in the current event: counted to show the set exercises it.
SEEN = set()


def phrase_occurs(phrase, turns, speaker, respect):
    wanted = tokens(phrase)[0]
    elsewhere = negated = False
    for who, text in turns:
        admitted = who != "other" and (speaker == "any" or who == speaker)
        words, clauses = tokens(text)
        for start in range(len(words) - len(wanted) + 1):
            if words[start:start + len(wanted)] != wanted:
                continue
            if not admitted:
                elsewhere = True
                continue
            if respect:
                window = [i for i in range(max(0, start - 3), start) if clauses[i] == clauses[start]]
                if any(words[i] in NEGATORS for i in window):
                    negated = True
                    continue
            return True
    if negated:
        SEEN.add("negated")
    if elsewhere:
        SEEN.add("other_speaker")
    return False


def transcript_holds(cond, turns):
    speaker = cond.get("speaker", "any")
    respect = cond.get("negation", "respect") == "respect"
    said = lambda p: phrase_occurs(p, turns, speaker, respect)
    if "any" in cond and not any(said(p) for p in cond["any"]):
        return False
    if "all" in cond and not all(said(p) for p in cond["all"]):
        return False
    if "none" in cond and any(said(p) for p in cond["none"]):
        return False
    if "min_turns" in cond:
        count = sum(1 for who, _ in turns if who != "other" and (speaker == "any" or who == speaker))
        if count < cond["min_turns"]:
            return False
    return True


def holds(cond, call, turns):
    if "all" in cond:
        return all(holds(c, call, turns) for c in cond["all"])
    if "any" in cond:
        return any(holds(c, call, turns) for c in cond["any"])
    if "not" in cond:
        return not holds(cond["not"], call, turns)
    if "transcript" in cond:
        return transcript_holds(cond["transcript"], turns)
    (path, value), = cond.items()
    return call.get(path) == value


def speaker_of_role(role):
    role = role.lower()
    if role in ("user", "customer"):
        return "customer"
    if role in ("bot", "assistant", "agent"):
        return "agent"
    return "other"


PREFIXES = {"user": "customer", "customer": "customer", "human": "customer", "caller": "customer",
            "lead": "customer", "contact": "customer", "ai": "agent", "assistant": "agent",
            "bot": "agent", "agent": "agent"}


def plain_turns(text):
    turns = []
    for line in text.split("\n"):
        line = line.strip(" \t")
        if not line:
            continue
        head, colon, rest = line.partition(":")
        if colon and head.strip().lower() in PREFIXES:
            turns.append([PREFIXES[head.strip().lower()], rest.strip(" \t")])
        elif turns:
            turns[-1][1] += "\n" + line
        else:
            turns.append(["other", line])
    return [tuple(t) for t in turns]


def normalise(body):
    """SPEC §2 for the shapes generated here: (call id, call object, turns)."""
    if "id" in body:
        return body["id"], body, plain_turns(body.get("chat", ""))
    if "message" in body:
        message = body["message"]
        turns = [(speaker_of_role(m["role"]), m["message"]) for m in message["artifact"]["messages"]]
        return message["call"]["id"], message, turns
    call = body["call"]
    turns = [(speaker_of_role(m["role"]), m["content"]) for m in call["transcript_object"]]
    return call["call_id"], call, turns


def expected_replay(rules, events):
    transitions, order, after = {}, [], {r["name"]: 0 for r in rules}
    changed = 0
    exercised = {"negated": 0, "other_speaker": 0, "shadowed": 0}
    for body in events:
        call_id, call, turns = normalise(body)
        current = call.get("call_outcome") or None
        outcome = None
        SEEN.clear()
        matched = [rule for rule in rules if holds(rule["when"], call, turns)]
        if matched:
            outcome = matched[0]["outcome"]
            after[matched[0]["name"]] += 1
        if len(matched) > 1 and any(rule["outcome"] != outcome for rule in matched[1:]):
            SEEN.add("shadowed")
        for key in SEEN:
            exercised[key] += 1
        key = (current, outcome)
        if key not in transitions:
            transitions[key] = {"from": current, "to": outcome, "count": 0, "examples": []}
            order.append(key)
        transitions[key]["count"] += 1
        if len(transitions[key]["examples"]) < 3:
            transitions[key]["examples"].append(call_id)
        changed += current != outcome
    return {
        "calls": len(events),
        "changed": changed,
        "transitions": [transitions[k] for k in order],
        "rules": [{"name": r["name"], "before": None, "after": after[r["name"]]} for r in rules],
        "exercised": exercised,
    }


# ---- generation --------------------------------------------------------------------------

def phrase(rng):
    n = rng.choice([1, 2, 2, 2, 3])
    words = [rng.choice(WORDS) for _ in range(n)]
    if rng.random() < 0.15:
        words.insert(0, rng.choice(["not", "dont", "no"]))
    return " ".join(words)


def transcript_condition(rng):
    cond = {"speaker": rng.choice(["customer", "customer", "agent", "any"])}
    cond["any"] = [phrase(rng) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.15:
        cond["all"] = [phrase(rng)]
        cond["all"][0] = cond["all"][0].split()[0]
    if rng.random() < 0.2:
        cond["none"] = [rng.choice(WORDS)]
    if rng.random() < 0.2:
        cond["negation"] = "ignore"
    if rng.random() < 0.1:
        cond["min_turns"] = rng.randint(2, 5)
    return {"transcript": cond}


def generate_rules(rng, count):
    rules = []
    for index in range(count):
        when = transcript_condition(rng)
        roll = rng.random()
        if roll < 0.1:
            when = {"all": [when, {"is_lead": True}]}
        elif roll < 0.15:
            when = {"all": [when, {"not": transcript_condition(rng)}]}
        elif roll < 0.2:
            when = {"any": [when, transcript_condition(rng)]}
        rules.append({"name": "rule-%03d" % index, "outcome": rng.choice(OUTCOMES), "when": when})
    return rules


def sentence(rng):
    parts = []
    for _ in range(rng.randint(3, 12)):
        roll = rng.random()
        if roll < 0.1:
            parts.append(rng.choice(sorted(NEGATORS)))
        elif roll < 0.16:
            parts.append(rng.choice(CONTRACTIONS))
        else:
            word = rng.choice(WORDS)
            word = rng.choice(DISPLAY.get(word, [word]))
            parts.append(word.upper() if rng.random() < 0.05 else word.capitalize() if rng.random() < 0.1 else word)
        if rng.random() < 0.12:
            parts[-1] += rng.choice([",", ".", "!", "?", ";", " -", "...", " :"])
    return " ".join(parts)


def generate_event(rng, index):
    call_id = "call-%05d" % index
    turns = []
    for t in range(rng.randint(1, 9)):
        who = rng.choice(["customer", "agent"]) if rng.random() < 0.3 else ("agent" if t % 2 == 0 else "customer")
        turns.append((who, sentence(rng)))
    current = rng.choice([None, None, ""] + OUTCOMES)
    lead = rng.random() < 0.3
    shape = rng.random()
    if shape < 0.6:
        lines = []
        for who, text in turns:
            prefix = rng.choice(["User", "Customer", "caller"] if who == "customer" else ["AI", "Agent", "assistant"])
            if rng.random() < 0.15 and " " in text:
                first, rest = text.split(" ", 1)
                text = first + "\n" + rest
            lines.append("%s: %s" % (prefix, text))
        body = {"id": call_id, "chat": "\n".join(lines), "is_lead": lead}
        if current is not None:
            body["call_outcome"] = current
        return body
    messages = [{"role": "assistant" if who == "agent" else "user", "message": text, "content": text} for who, text in turns]
    if rng.random() < 0.3:
        messages.insert(rng.randint(0, len(messages)), {"role": rng.choice(["system", "tool"]), "message": sentence(rng), "content": sentence(rng)})
    if shape < 0.85:
        message = {"type": "end-of-call-report", "call": {"id": call_id}, "is_lead": lead,
                   "artifact": {"messages": [{"role": m["role"] if m["role"] != "assistant" else "bot", "message": m["message"]} for m in messages]}}
        if current is not None:
            message["call_outcome"] = current
        return {"message": message}
    call = {"call_id": call_id, "is_lead": lead,
            "transcript_object": [{"role": "agent" if m["role"] == "assistant" else m["role"], "content": m["content"]} for m in messages]}
    if current is not None:
        call["call_outcome"] = current
    return {"event": "call_analyzed", "call": call}


def main(argv):
    directory = argv[1]
    options = dict(zip(argv[2::2], argv[3::2]))
    rng = random.Random(int(options.get("--seed", "13")))
    rules = generate_rules(rng, int(options.get("--rules", "100")))
    events = [generate_event(rng, i) for i in range(int(options.get("--events", "2000")))]
    with open(directory + "/rules.yaml", "w", encoding="utf-8") as f:
        f.write("# generated by Tests/Reference/spec3.py\n")
        f.write(json.dumps({"outcomes": OUTCOMES, "default_outcome": None, "rules": rules}, ensure_ascii=False, indent=1))
    with open(directory + "/events.jsonl", "w", encoding="utf-8") as f:
        for event in events:
            f.write(json.dumps(event, ensure_ascii=False) + "\n")
    with open(directory + "/expected.json", "w", encoding="utf-8") as f:
        json.dump(expected_replay(rules, events), f, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv)
