#!/usr/bin/env python3
"""Writes signature-vectors.json: webhook signatures made with Python's hmac, so that
SenderAuthenticator is checked against an implementation that shares no code with it.

Run from anywhere: python3 make-signature-vectors.py. Every input is fixed, so the output
is the same on every run; commit both files together.
"""
import base64
import hashlib
import hmac
import json
import os
import re

NOW_MS = 1795532591123
NOW_S = NOW_MS // 1000
RETELL_KEY = "key_7f3c0a1e9b2d4c6f8a0b1c2d3e4f5a6b"
VAPI_SECRET = "vapi-hmac-secret-5d9e"
OUTCOMED_SECRET = "outcomed-hmac-secret"
BEARER = "intake-token-31"

RETELL_BODY = json.dumps({
    "event": "call_analyzed",
    "call": {
        "call_id": "retell-vector-1",
        "transcript": "Agent: Hi, this is Zoë.\nUser: Try me again tomorrow.",
        "call_analysis": {"in_voicemail": False, "user_sentiment": "Positive",
                          "custom_analysis_data": {"callback_requested": True}},
    },
}, separators=(",", ":"), ensure_ascii=False)

VAPI_BODY = json.dumps({
    "message": {
        "type": "end-of-call-report",
        "call": {"id": "vapi-vector-1"},
        "analysis": {"successEvaluation": "true", "structuredData": {"interested": True}},
    },
}, separators=(",", ":"), ensure_ascii=False)

HASHES = {"sha256": hashlib.sha256, "sha512": hashlib.sha512, "sha1": hashlib.sha1}


def one_byte_changed(body):
    """The body with one byte changed: the last digit of the call id."""
    return body.replace("vector-1", "vector-2", 1)


def retell(body, timestamp_ms, key=RETELL_KEY, upper=False):
    digest = hmac.new(key.encode(), body.encode() + str(timestamp_ms).encode(), hashlib.sha256).hexdigest()
    return "v=%d,d=%s" % (timestamp_ms, digest.upper() if upper else digest)


def vapi(body, timestamp, secret=VAPI_SECRET, algorithm="sha256", encoding="hex",
         prefix="", payload="{timestamp}.{body}", upper=False):
    values = {"timestamp": str(timestamp), "body": body}
    message = re.sub(r"\{(timestamp|body)\}", lambda m: values[m.group(1)], payload)
    mac = hmac.new(secret.encode(), message.encode(), HASHES[algorithm]).digest()
    text = base64.b64encode(mac).decode() if encoding == "base64" else mac.hex()
    return prefix + (text.upper() if upper else text)


def outcomed(body, timestamp, secret=OUTCOMED_SECRET):
    message = ("%d." % timestamp).encode() + body.encode()
    return "t=%d,v1=%s" % (timestamp, hmac.new(secret.encode(), message, hashlib.sha256).hexdigest())


RETELL_AUTH = "retell_api_key_env: RETELL_API_KEY"
VAPI_AUTH = "vapi_hmac:\n  secret_env: VAPI_HMAC_SECRET"
ENV = {"RETELL_API_KEY": RETELL_KEY, "VAPI_HMAC_SECRET": VAPI_SECRET,
       "OUTCOMED_HMAC_SECRET": OUTCOMED_SECRET, "INTAKE_TOKEN": BEARER}


def vapi_auth(**options):
    lines = [VAPI_AUTH] + ["  %s: %s" % (key, json.dumps(value)) for key, value in options.items()]
    return "\n".join(lines)


def case(name, auth, headers, body, accepted, rejected_by=""):
    return {"name": name, "auth": auth, "headers": headers, "body": body,
            "accepted": accepted, "log": rejected_by}


def retell_cases():
    b = RETELL_BODY
    h = "X-Retell-Signature"
    return [
        case("retell valid", RETELL_AUTH, {h: retell(b, NOW_MS)}, b, True),
        case("retell 300 s old", RETELL_AUTH, {h: retell(b, NOW_MS - 300_000)}, b, True),
        case("retell 300 s ahead", RETELL_AUTH, {h: retell(b, NOW_MS + 300_000)}, b, True),
        case("retell 301 s old", RETELL_AUTH, {h: retell(b, NOW_MS - 301_000)}, b, False, "retell:stale_timestamp"),
        case("retell 301 s ahead", RETELL_AUTH, {h: retell(b, NOW_MS + 301_000)}, b, False, "retell:future_timestamp"),
        case("retell body changed by one byte", RETELL_AUTH, {h: retell(b, NOW_MS)}, one_byte_changed(b), False, "retell:bad_signature"),
        case("retell uppercase hex", RETELL_AUTH, {h: retell(b, NOW_MS, upper=True)}, b, True),
        case("retell lowercase header name", RETELL_AUTH, {"x-retell-signature": retell(b, NOW_MS)}, b, True),
        case("retell space after the comma", RETELL_AUTH, {h: retell(b, NOW_MS).replace(",", ", ")}, b, True),
        case("retell wrong key", RETELL_AUTH, {h: retell(b, NOW_MS, key="key_other")}, b, False, "retell:bad_signature"),
        case("retell header missing", RETELL_AUTH, {}, b, False, "retell:missing"),
        case("retell digest missing", RETELL_AUTH, {h: "v=%d" % NOW_MS}, b, False, "retell:malformed"),
        case("retell digest not hex", RETELL_AUTH, {h: "v=%d,d=zz" % NOW_MS}, b, False, "retell:malformed"),
        case("retell timestamp past Int64", RETELL_AUTH, {h: "v=99999999999999999999,d=00"}, b, False, "retell:malformed"),
        case("retell negative timestamp", RETELL_AUTH, {h: "v=-9223372036854775808,d=00"}, b, False, "retell:malformed"),
    ]


def vapi_cases():
    b = VAPI_BODY
    sig, ts = "x-signature", "x-timestamp"
    return [
        case("vapi valid, seconds", VAPI_AUTH, {sig: vapi(b, NOW_S), ts: str(NOW_S)}, b, True),
        case("vapi valid, milliseconds", VAPI_AUTH, {sig: vapi(b, NOW_MS), ts: str(NOW_MS)}, b, True),
        case("vapi 300 s old", VAPI_AUTH, {sig: vapi(b, NOW_S - 300), ts: str(NOW_S - 300)}, b, True),
        case("vapi 301 s old", VAPI_AUTH, {sig: vapi(b, NOW_S - 301), ts: str(NOW_S - 301)}, b, False, "vapi_hmac:stale_timestamp"),
        case("vapi 301 s ahead", VAPI_AUTH, {sig: vapi(b, NOW_S + 301), ts: str(NOW_S + 301)}, b, False, "vapi_hmac:future_timestamp"),
        case("vapi 301 s old in ms", VAPI_AUTH, {sig: vapi(b, NOW_MS - 301_000), ts: str(NOW_MS - 301_000)}, b, False, "vapi_hmac:stale_timestamp"),
        case("vapi 301 s ahead in ms", VAPI_AUTH, {sig: vapi(b, NOW_MS + 301_000), ts: str(NOW_MS + 301_000)}, b, False, "vapi_hmac:future_timestamp"),
        case("vapi body changed by one byte", VAPI_AUTH, {sig: vapi(b, NOW_S), ts: str(NOW_S)}, one_byte_changed(b), False, "vapi_hmac:bad_signature"),
        case("vapi timestamp header changed", VAPI_AUTH, {sig: vapi(b, NOW_S), ts: str(NOW_S + 1)}, b, False, "vapi_hmac:bad_signature"),
        case("vapi uppercase hex", VAPI_AUTH, {sig: vapi(b, NOW_S, upper=True), ts: str(NOW_S)}, b, True),
        case("vapi base64", vapi_auth(encoding="base64"), {sig: vapi(b, NOW_S, encoding="base64"), ts: str(NOW_S)}, b, True),
        case("vapi base64 sent where hex is configured", VAPI_AUTH, {sig: vapi(b, NOW_S, encoding="base64"), ts: str(NOW_S)}, b, False, "vapi_hmac:malformed"),
        case("vapi sha512", vapi_auth(algorithm="sha512"), {sig: vapi(b, NOW_S, algorithm="sha512"), ts: str(NOW_S)}, b, True),
        case("vapi sha1", vapi_auth(algorithm="sha1"), {sig: vapi(b, NOW_S, algorithm="sha1"), ts: str(NOW_S)}, b, True),
        case("vapi sha512 sent where sha256 is configured", VAPI_AUTH, {sig: vapi(b, NOW_S, algorithm="sha512"), ts: str(NOW_S)}, b, False, "vapi_hmac:bad_signature"),
        case("vapi prefix", vapi_auth(prefix="sha256="), {sig: vapi(b, NOW_S, prefix="sha256="), ts: str(NOW_S)}, b, True),
        case("vapi prefix missing from the header", vapi_auth(prefix="sha256="), {sig: vapi(b, NOW_S), ts: str(NOW_S)}, b, False, "vapi_hmac:malformed"),
        case("vapi body-only payload", vapi_auth(payload="{body}"), {sig: vapi(b, 0, payload="{body}")}, b, True),
        case("vapi body-only payload ignores an old timestamp", vapi_auth(payload="{body}"), {sig: vapi(b, 0, payload="{body}"), ts: "1"}, b, True),
        case("vapi body-only payload, body changed", vapi_auth(payload="{body}"), {sig: vapi(b, 0, payload="{body}")}, one_byte_changed(b), False, "vapi_hmac:bad_signature"),
        case("vapi custom headers and template", vapi_auth(signature_header="X-Vapi-Signature", timestamp_header="X-Vapi-Timestamp", payload="{timestamp}:{body}"),
             {"X-Vapi-Signature": vapi(b, NOW_S, payload="{timestamp}:{body}"), "X-Vapi-Timestamp": str(NOW_S)}, b, True),
        case("vapi everything at once", vapi_auth(algorithm="sha512", encoding="base64", prefix="v1=", payload="v1:{timestamp}:{body}"),
             {sig: vapi(b, NOW_MS, algorithm="sha512", encoding="base64", prefix="v1=", payload="v1:{timestamp}:{body}"), ts: str(NOW_MS)}, b, True),
        case("vapi wrong secret", VAPI_AUTH, {sig: vapi(b, NOW_S, secret="other"), ts: str(NOW_S)}, b, False, "vapi_hmac:bad_signature"),
        case("vapi signature header missing", VAPI_AUTH, {ts: str(NOW_S)}, b, False, "vapi_hmac:missing"),
        case("vapi timestamp header missing", VAPI_AUTH, {sig: vapi(b, NOW_S)}, b, False, "vapi_hmac:missing_timestamp"),
        case("vapi timestamp not a number", VAPI_AUTH, {sig: vapi(b, NOW_S), ts: "yesterday"}, b, False, "vapi_hmac:malformed"),
    ]


def combined_cases():
    rb, vb = RETELL_BODY, VAPI_BODY
    both = RETELL_AUTH + "\n" + VAPI_AUTH
    every = "bearer_token_env: INTAKE_TOKEN\nhmac_secret_env: OUTCOMED_HMAC_SECRET\n" + both
    return [
        case("two methods, only vapi passes", both,
             {"X-Retell-Signature": retell(vb, NOW_MS, key="key_other"), "x-signature": vapi(vb, NOW_S), "x-timestamp": str(NOW_S)}, vb, True),
        case("two methods, only retell passes", both, {"X-Retell-Signature": retell(rb, NOW_MS)}, rb, True),
        case("two methods, neither passes", both,
             {"X-Retell-Signature": retell(rb, NOW_MS, key="key_other")}, rb, False, "retell:bad_signature,vapi_hmac:missing"),
        case("every method, only the last passes", every,
             {"Authorization": "Bearer wrong", "x-signature": vapi(vb, NOW_S), "x-timestamp": str(NOW_S)}, vb, True),
        case("every method, none passes", every, {"Authorization": "Basic abc"}, vb, False,
             "bearer:malformed,hmac:missing,retell:missing,vapi_hmac:missing"),
        case("outcomed signature valid", "hmac_secret_env: OUTCOMED_HMAC_SECRET", {"X-Outcomed-Signature": outcomed(rb, NOW_S)}, rb, True),
        case("outcomed signature at Int64.min", "hmac_secret_env: OUTCOMED_HMAC_SECRET",
             {"X-Outcomed-Signature": "t=-9223372036854775808,v1=00"}, rb, False, "hmac:stale_timestamp"),
        case("outcomed signature at Int64.max", "hmac_secret_env: OUTCOMED_HMAC_SECRET",
             {"X-Outcomed-Signature": "t=9223372036854775807,v1=00"}, rb, False, "hmac:future_timestamp"),
    ]


def main():
    vectors = {
        "generator": "make-signature-vectors.py (Python hmac, hashlib, base64)",
        "now_ms": NOW_MS,
        "environment": ENV,
        "cases": retell_cases() + vapi_cases() + combined_cases(),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "signature-vectors.json")
    with open(path, "w", encoding="utf-8") as out:
        json.dump(vectors, out, indent=2, ensure_ascii=False)
        out.write("\n")


if __name__ == "__main__":
    main()
