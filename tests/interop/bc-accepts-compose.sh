#!/usr/bin/env bash
# BouncyCastle accepts what `sealscope compose` writes.
#
# Usage: bash tests/interop/bc-accepts-compose.sh PATH/TO/sealscope
#
# Composes a matrix of messages into a temporary directory (fixed --rng-seed,
# signingTime 2027-01-01T00:00:00Z, the test PKI of tests/fixtures/pki) and
# has BouncyCastle (BcCheck.java, run with the Debian jars in /usr/share/java)
# read each one:
#
#   signed               signer-rsa, -p256, -p384 x sha256, sha384, sha512 x
#                        detached S/MIME, opaque S/MIME, opaque DER, with
#                        --chain inter-ca.pem (27 messages). BouncyCastle
#                        verifies every SignerInfo and builds the signer's path
#                        to root-ca.pem; its digest algorithm must be the one
#                        asked for; the content it verified over must be a MIME
#                        entity whose decoded body is the payload (CRLF line
#                        breaks), and that body's SHA-256 must be the content
#                        SHA-256 `sealscope inspect --json` reports for the same
#                        file, which must find the signature valid and the
#                        chain trusted, and BouncyCastle and sealscope must
#                        name the same signer.
#   encrypted            recip-rsa (PKCS#1 v1.5), recip-rsa (--oaep), recip-p256,
#                        recip-p384 x aes-128-cbc, aes-256-cbc, aes-128-gcm,
#                        aes-256-gcm, DER (16 messages). BouncyCastle decrypts
#                        with the recipient's key; the SHA-256 of its plaintext
#                        must equal encryption[0].content_sha256 of
#                        `sealscope inspect --json --key ... --cert ...`, and
#                        the plaintext must be the payload's MIME entity.
#   sign-then-encrypt    signer-rsa -> recip-p256 aes-256-gcm and
#                        signer-p256 -> recip-rsa aes-128-cbc, S/MIME:
#                        BouncyCastle decrypts, then verifies the inner
#                        message, with both checks above.
#
# Prints one line per message, then "N passed, M failed"; exits 1 on any
# failure. Needs java and javac (JDK 11 or later), python3 and the
# BouncyCastle jars (Debian: libbcprov-java libbcutil-java libbcpkix-java).

set -euo pipefail
export LC_ALL=C

if [[ $# -ne 1 ]]; then
    echo "usage: $0 PATH/TO/sealscope" >&2
    exit 2
fi
SEALSCOPE=$(realpath "$1")
[[ -x $SEALSCOPE ]] || {
    echo "$0: $1 is not an executable" >&2
    exit 2
}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PKI=$(cd "$HERE/../fixtures/pki" && pwd)

missing() {
    echo "$0: $1 is missing; install $2" >&2
    exit 2
}
command -v java >/dev/null || missing java default-jdk-headless
command -v javac >/dev/null || missing javac default-jdk-headless
command -v python3 >/dev/null || missing python3 python3
BC_CP=""
for jar in bcprov bcutil bcpkix; do
    [[ -f /usr/share/java/$jar.jar ]] ||
        missing "/usr/share/java/$jar.jar" "libbcprov-java libbcutil-java libbcpkix-java (Debian)"
    BC_CP+=${BC_CP:+:}/usr/share/java/$jar.jar
done

SEED=20270101
AT=2027-01-01T00:00:00Z

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Compiled once: running the single-file source would compile it per message.
javac -nowarn -d "$WORK/classes" -cp "$BC_CP" "$HERE/BcCheck.java"
bccheck() { java -cp "$WORK/classes:$BC_CP" BcCheck "$@"; }

# The payload: UTF-8 text with LF line breaks (sealscope writes CRLF), a
# "From " line, trailing spaces and a long line.
PAYLOAD=$WORK/payload.txt
{
    printf 'Interop check of sealscope compose\n'
    printf 'From here on: caf\xc3\xa9, \xe2\x82\xac 10, \xc3\xbcber\n'
    printf 'trailing spaces   \n'
    printf '%s\n' "$(printf 'long line %.0s' {1..12})"
    printf '\n-- \nend\n'
} >"$PAYLOAD"

# check.py: the comparisons, over BouncyCastle's output line and
# sealscope's JSON report. Prints the reason and exits 1 on a mismatch.
cat >"$WORK/check.py" <<'EOF'
import hashlib
import json
import sys
from email import policy
from email.parser import BytesParser

DIGEST_OIDS = {
    "sha256": "2.16.840.1.101.3.4.2.1",
    "sha384": "2.16.840.1.101.3.4.2.2",
    "sha512": "2.16.840.1.101.3.4.2.3",
}


def fail(msg):
    print(msg)
    sys.exit(1)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def report(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        fail(f"no JSON report from sealscope inspect: {e}")


def bc_ok(line):
    parts = line.split(" ")
    if len(parts) < 2 or parts[0] != "OK":
        fail(f"BouncyCastle: {line}")
    return parts


def entity_body(content_file, payload_file):
    """The decoded body of the MIME entity content_file, which must be the payload."""
    with open(content_file, "rb") as f:
        entity = f.read()
    with open(payload_file, "rb") as f:
        payload = f.read().replace(b"\n", b"\r\n")
    body = BytesParser(policy=policy.compat32).parsebytes(entity).get_payload(decode=True)
    if body != payload:
        fail(f"the content is not the payload's MIME entity (decoded body {body[:60]!r}...)")
    return body


def rdns(name):
    """A distinguished name as a set of attribute=value, BouncyCastle's E as emailAddress."""
    out = set()
    for rdn in name.split(","):
        k, _, v = rdn.strip().partition("=")
        out.add(("emailAddress" if k == "E" else k) + "=" + v)
    return out


def signed(json_path, bc_line, content_file, payload_file, digest):
    parts = bc_ok(bc_line)
    bc_sha, bc_oid, bc_subject = parts[-1], parts[-2], " ".join(parts[1:-2])
    if bc_oid != DIGEST_OIDS[digest]:
        fail(f"BouncyCastle sees digest {bc_oid}, composed with {digest}")
    with open(content_file, "rb") as f:
        if sha256(f.read()) != bc_sha:
            fail("BouncyCastle's content SHA-256 is not that of the content it wrote")
    body = entity_body(content_file, payload_file)
    r = report(json_path)
    sigs = r.get("signatures") or []
    if len(sigs) != 1:
        fail(f"sealscope reports {len(sigs)} signatures")
    s = sigs[0]
    if s["status"] != "valid" or s["chain"]["status"] != "trusted" or r["verdict"] != "valid":
        fail(f"sealscope: verdict {r['verdict']}, signature {s['status']} ({s['reason']}), "
             f"chain {s['chain']['status']}")
    if s["digest_algorithm"] != digest:
        fail(f"sealscope reports digest {s['digest_algorithm']}, composed with {digest}")
    if r["content"]["sha256"] != sha256(body):
        fail(f"content SHA-256: sealscope {r['content']['sha256']}, "
             f"body of what BouncyCastle verified {sha256(body)}")
    if rdns(bc_subject) != rdns(s["signer"]["subject"]):
        fail(f"signer: BouncyCastle {bc_subject}, sealscope {s['signer']['subject']}")


def encrypted(json_path, bc_line, plain_file, payload_file, cipher, inner_mime):
    parts = bc_ok(bc_line)
    bc_sha = parts[-1]
    with open(plain_file, "rb") as f:
        if sha256(f.read()) != bc_sha:
            fail("BouncyCastle's content SHA-256 is not that of the content it wrote")
    r = report(json_path)
    enc = r.get("encryption") or []
    if not enc:
        fail("sealscope reports no encryption layer")
    e = enc[0]
    if not e.get("decrypted"):
        fail(f"sealscope did not decrypt: {e.get('reason')}")
    kind = "auth-enveloped-data" if cipher.endswith("-gcm") else "enveloped-data"
    if e["kind"] != kind or e["content_algorithm"] != cipher:
        fail(f"sealscope reports {e['kind']} {e['content_algorithm']}, composed {kind} {cipher}")
    if e["content_sha256"] != bc_sha:
        fail(f"plaintext SHA-256: sealscope {e['content_sha256']}, BouncyCastle {bc_sha}")
    if inner_mime == "payload":
        entity_body(plain_file, payload_file)


mode = sys.argv[1]
if mode == "signed":
    signed(*sys.argv[2:7])
elif mode == "encrypted":
    encrypted(*sys.argv[2:8])
else:
    fail(f"unknown mode {mode}")
EOF

check() { python3 "$WORK/check.py" "$@"; }

# Each case prints its reason and returns 1 on failure; errexit does not apply
# inside them (they run as `if` conditions), so every step is checked.

# case_signed SIGNER DIGEST FORM
case_signed() {
    local signer=$1 digest=$2 form=$3 f bc
    f=$WORK/signed-$signer-$digest-$form
    local args=(compose --rng-seed "$SEED" --at "$AT" --digest "$digest"
        --signer "$PKI/signer-$signer.pem" --signer-key "$PKI/signer-$signer.key"
        --chain "$PKI/inter-ca.pem")
    case $form in
        detached-mime) ;;
        opaque-mime) args+=(--opaque) ;;
        opaque-der) args+=(--opaque --outform der) ;;
    esac
    "$SEALSCOPE" "${args[@]}" --out "$f" "$PAYLOAD" 2>&1 || {
        echo "sealscope compose failed"
        return 1
    }
    bc=$(bccheck verify "$f" --ca "$PKI/root-ca.pem" --at "$AT" --out "$f.content" 2>&1) || {
        echo "BouncyCastle: $bc"
        return 1
    }
    "$SEALSCOPE" inspect --json --trust "$PKI/root-ca.pem" --at "$AT" "$f" >"$f.json" 2>/dev/null
    check signed "$f.json" "$bc" "$f.content" "$PAYLOAD" "$digest"
}

# case_encrypted RECIPIENT PADDING CIPHER
case_encrypted() {
    local recip=$1 padding=$2 cipher=$3 f bc
    f=$WORK/enc-$recip-$padding-$cipher
    local args=(compose --rng-seed "$SEED" --recipient "$PKI/$recip.pem" --cipher "$cipher" --outform der)
    [[ $padding == oaep ]] && args+=(--oaep)
    "$SEALSCOPE" "${args[@]}" --out "$f" "$PAYLOAD" 2>&1 || {
        echo "sealscope compose failed"
        return 1
    }
    bc=$(bccheck decrypt "$f" --key "$PKI/$recip.key" --cert "$PKI/$recip.pem" --out "$f.plain" 2>&1) || {
        echo "BouncyCastle: $bc"
        return 1
    }
    "$SEALSCOPE" inspect --json --key "$PKI/$recip.key" --cert "$PKI/$recip.pem" "$f" >"$f.json" 2>/dev/null
    check encrypted "$f.json" "$bc" "$f.plain" "$PAYLOAD" "$cipher" payload
}

# case_sign_encrypt SIGNER RECIPIENT CIPHER
case_sign_encrypt() {
    local signer=$1 recip=$2 cipher=$3 f bc
    f=$WORK/signenc-$signer-$recip-$cipher
    "$SEALSCOPE" compose --rng-seed "$SEED" --at "$AT" \
        --signer "$PKI/signer-$signer.pem" --signer-key "$PKI/signer-$signer.key" \
        --chain "$PKI/inter-ca.pem" --recipient "$PKI/$recip.pem" --cipher "$cipher" \
        --out "$f" "$PAYLOAD" 2>&1 || {
        echo "sealscope compose failed"
        return 1
    }
    bc=$(bccheck decrypt "$f" --key "$PKI/$recip.key" --cert "$PKI/$recip.pem" --out "$f.inner" 2>&1) || {
        echo "BouncyCastle decrypt: $bc"
        return 1
    }
    "$SEALSCOPE" inspect --json --key "$PKI/$recip.key" --cert "$PKI/$recip.pem" \
        --trust "$PKI/root-ca.pem" --at "$AT" "$f" >"$f.json" 2>/dev/null
    check encrypted "$f.json" "$bc" "$f.inner" "$PAYLOAD" "$cipher" signed-message || return 1
    bc=$(bccheck verify "$f.inner" --ca "$PKI/root-ca.pem" --at "$AT" --out "$f.content" 2>&1) || {
        echo "BouncyCastle verify of the decrypted message: $bc"
        return 1
    }
    check signed "$f.json" "$bc" "$f.content" "$PAYLOAD" sha256
}

passed=0
failed=0
run() {
    local name=$1 out
    shift
    if out=$("$@" 2>&1); then
        passed=$((passed + 1))
        echo "PASS $name"
    else
        failed=$((failed + 1))
        echo "FAIL $name: ${out//$'\n'/ | }"
    fi
}

for signer in rsa p256 p384; do
    for digest in sha256 sha384 sha512; do
        for form in detached-mime opaque-mime opaque-der; do
            run "signed signer-$signer $digest $form" case_signed "$signer" "$digest" "$form"
        done
    done
done

for r in recip-rsa:v15 recip-rsa:oaep recip-p256:kari recip-p384:kari; do
    for cipher in aes-128-cbc aes-256-cbc aes-128-gcm aes-256-gcm; do
        run "encrypted ${r%%:*} ${r#*:} $cipher der" case_encrypted "${r%%:*}" "${r#*:}" "$cipher"
    done
done

run "sign-then-encrypt signer-rsa -> recip-p256 aes-256-gcm mime" case_sign_encrypt rsa recip-p256 aes-256-gcm
run "sign-then-encrypt signer-p256 -> recip-rsa aes-128-cbc mime" case_sign_encrypt p256 recip-rsa aes-128-cbc

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
