// Generated from sealscope-core's report types by wasm/tests/typescript.rs: do not edit.
export type Verdict = "valid" | "warning" | "invalid" | "unreadable";
export type Severity = "info" | "warning" | "error";
export type Finding = { 
/**
 * Severity.
 */
severity: Severity, 
/**
 * Stable kebab-case code (DESIGN.md lists the fixed ones).
 */
code: string, 
/**
 * What is wrong, with the object it concerns.
 */
message: string, 
/**
 * The specification section, e.g. "RFC 8551 §3.1.1".
 */
reference: string, 
/**
 * Index of the layer it concerns, if any.
 */
layer?: number, };
export type InputInfo = { 
/**
 * File name (or "-" for standard input).
 */
name: string, 
/**
 * Size in bytes.
 */
size: number, 
/**
 * SHA-256 of the bytes, lower-case hex.
 */
sha256: string, };
export type Layer = { 
/**
 * Kind: `pem`, `base64`, `mime`, `multipart-signed`, `cms-signed-data`, `content`, …
 */
kind: string, 
/**
 * One line saying what it is.
 */
summary: string, 
/**
 * Byte range `[start, end)` within the buffer named by `buffer`.
 */
range: [number, number], 
/**
 * Which buffer the range refers to: 0 is the input itself; `n > 0` is the decoded
 * content of layer `n - 1` (after base64, PEM or CMS unwrapping).
 */
buffer: number, 
/**
 * Index of the enclosing layer, if any.
 */
parent?: number, 
/**
 * Headers (MIME) or fields (CMS) as name/value pairs, in order.
 */
headers: Array<[string, string]>, 
/**
 * For MIME layers: the media type (lower case) and its parameters.
 */
content_type?: LayerContentType, };
export type LayerContentType = { 
/**
 * `type/subtype`, lower case.
 */
media_type: string, 
/**
 * Parameters, names lower case, in order.
 */
params: Array<[string, string]>, };
export type Node = { 
/**
 * Same as the layer's kind.
 */
kind: string, 
/**
 * Same as the layer's summary.
 */
summary: string, 
/**
 * Index into `layers`.
 */
layer: number, 
/**
 * Enclosed layers.
 */
children: Array<Node>, };
export type CertSummary = { 
/**
 * Subject, RFC 4514.
 */
subject: string, 
/**
 * Subject, OpenSSL one-line form.
 */
subject_oneline: string, 
/**
 * Issuer, RFC 4514.
 */
issuer: string, 
/**
 * Issuer, OpenSSL one-line form.
 */
issuer_oneline: string, 
/**
 * Serial number, upper-case hex.
 */
serial: string, 
/**
 * notBefore.
 */
not_before: string, 
/**
 * notAfter.
 */
not_after: string, 
/**
 * Key type and size: `rsa-2048`, `ec-p256`.
 */
key: string, 
/**
 * keyUsage bits, if the extension is present.
 */
key_usage?: Array<string>, 
/**
 * extendedKeyUsage purposes, if present.
 */
extended_key_usage?: Array<string>, 
/**
 * SHA-256 fingerprint of the DER encoding (of the COER encoding for IEEE 1609.2).
 */
sha256: string, 
/**
 * IEEE 1609.2 certificates: the HashedId8, lower-case hex.
 */
hashed_id8?: string, };
export type SignatureStatus = "valid" | "invalid" | "unverifiable";
export type ChainStatus = "trusted" | "untrusted-root" | "expired" | "not-yet-valid" | "revoked" | "bad-signature" | "incomplete" | "not-checked";
export type CertStatus = "valid" | "anchor" | "not-yet-valid" | "expired" | "revoked" | "revocation-unknown" | "bad-signature" | "signature-not-checked" | "path-length-exceeded" | "not-a-ca" | "critical-extension" | "name-constraint-violated" | "profile-violated" | "policy-constraint-violated" | "namespace-violated" | "validity-outside-issuer" | "region-outside-issuer" | "permissions-outside-issuer" | "untrusted-root" | "issuer-missing";
export type ChainCert = { 
/**
 * Subject, RFC 4514.
 */
subject: string, 
/**
 * Issuer, RFC 4514.
 */
issuer: string, 
/**
 * Serial, upper-case hex.
 */
serial: string, 
/**
 * notBefore.
 */
not_before: string, 
/**
 * notAfter.
 */
not_after: string, 
/**
 * `valid`, `expired`, `not-yet-valid`, `revoked`, `bad-signature`, `anchor`, …
 */
status: CertStatus, 
/**
 * Where the certificate came from: `message`, a file name.
 */
source: string, };
export type Chain = { 
/**
 * Overall status.
 */
status: ChainStatus, 
/**
 * The trust anchor reached (RFC 4514 subject), if any.
 */
anchor: string | null, 
/**
 * Signer first, anchor last.
 */
certificates: Array<ChainCert>, 
/**
 * Why, in one sentence.
 */
reason: string, };
export type SignatureReport = { 
/**
 * Status.
 */
status: SignatureStatus, 
/**
 * Finding code when not valid (`content-digest-mismatch`, …); `null` when valid.
 */
reason_code: string | null, 
/**
 * Why, in one sentence that names the SignerInfo and key.
 */
reason: string, 
/**
 * The signer certificate, when found.
 */
signer: CertSummary | null, 
/**
 * Where the signer certificate came from: `message` (the SignedData carried it) or the
 * keyring file it was found in.
 */
signer_source?: string, 
/**
 * How the SignerInfo names its signer: `issuer-and-serial` or `subject-key-identifier`.
 */
signer_id: string, 
/**
 * The signer as the SignerInfo names it ("issuer CN=…, serial 1A" or "subjectKeyIdentifier
 * 0a1b…"), kept even when no certificate for it was found.
 */
sid?: string, 
/**
 * For a countersignature (RFC 5652 §11.4): the 1-based number of the SignerInfo of the
 * same SignedData whose signature it signs.
 */
countersigns?: number, 
/**
 * `sha256`, …
 */
digest_algorithm: string, 
/**
 * `rsa-pkcs1v15`, `rsa-pss`, `ecdsa-p256`, …
 */
signature_algorithm: string, 
/**
 * The signingTime attribute, if present.
 */
signing_time: string | null, 
/**
 * The certificate chain.
 */
chain: Chain, 
/**
 * Index of the layer holding the SignerInfo.
 */
layer: number, 
/**
 * 1-based SignerInfo number within its SignedData.
 */
signer_info: number, 
/**
 * Whether the signature verified only over the bytes as sent, not their canonical form.
 */
non_canonical: boolean, 
/**
 * IEEE 1609.2: the PSID of the headerInfo.
 */
psid?: number, 
/**
 * IEEE 1609.2: the generationTime as UTC (RFC 3339, with the microseconds when the
 * Time64 has a fraction of a second).
 */
generation_time?: string, 
/**
 * IEEE 1609.2: the generationTime as sent (Time64: microseconds since 2004-01-01 TAI).
 */
generation_time_us?: number, 
/**
 * IEEE 1609.2: the expiryTime as UTC (RFC 3339, microseconds as for generationTime).
 */
expiry_time?: string, 
/**
 * IEEE 1609.2: the expiryTime as sent (Time64 microseconds).
 */
expiry_time_us?: number, 
/**
 * IEEE 1609.2: the signer's HashedId8 (lower-case hex), however it was named.
 */
signer_hashed_id8?: string, };
export type Content = { 
/**
 * Media type, e.g. `text/plain`.
 */
media_type: string, 
/**
 * Size in bytes after transfer decoding.
 */
size: number, 
/**
 * SHA-256 of those bytes.
 */
sha256: string, 
/**
 * The text when it is UTF-8 (truncated past 64 KiB), else `null`.
 */
text: string | null, 
/**
 * For binary content: the first 256 bytes as lower-case hex, else `null`.
 */
hex: string | null, 
/**
 * Index of the layer that holds it (a `content` or `detached-content` layer): the one
 * a reader is shown, chosen by signature depth, so front ends need not guess.
 */
layer: number, };
export type RecipientReport = { 
/**
 * `ktri`, `kari`, `kekri`, `pwri`, `ori`.
 */
type: string, 
/**
 * `rsa-pkcs1v15`, `rsa-oaep`, `ecdh-p256`, `aes-256-wrap`, `pbkdf2`, …
 */
key_algorithm: string, 
/**
 * Issuer of the recipient certificate (RFC 4514), when named that way.
 */
issuer: string | null, 
/**
 * Serial of the recipient certificate, when named that way.
 */
serial: string | null, 
/**
 * subjectKeyIdentifier / KEK identifier, lower-case hex.
 */
ski: string | null, 
/**
 * Details: KDF, wrap algorithm, OAEP hashes, PBKDF2 iterations.
 */
details: string, 
/**
 * Which keyring entry opened it, if one did.
 */
matched_key: string | null, };
export type EncryptionReport = { 
/**
 * `enveloped-data`, `auth-enveloped-data`, `encrypted-data`, or `authenticated-data`
 * (RFC 5652 §9: readable content whose MAC key is delivered to recipients).
 */
kind: string, 
/**
 * `aes-256-cbc`, `aes-128-gcm`, `des-ede3-cbc`, …; for authenticated-data the MAC
 * algorithm (`hmac-sha256`, …).
 */
content_algorithm: string, 
/**
 * The recipients, in order.
 */
recipients: Array<RecipientReport>, 
/**
 * Whether the content was decrypted.
 */
decrypted: boolean, 
/**
 * Why (or why not), in one sentence.
 */
reason: string, 
/**
 * Size of the decrypted content, when decrypted.
 */
content_size: number | null, 
/**
 * SHA-256 of the decrypted content, when decrypted.
 */
content_sha256: string | null, 
/**
 * Index of the layer.
 */
layer: number, 
/**
 * authenticated-data only: whether a recovered key verified the MAC (`true`), a key
 * meant for a recipient gave a different MAC (`false`: the message was altered), or
 * absent when no key was at hand or the MAC algorithm is not supported.
 */
mac_verified?: boolean, };
export type KeyCertificate = { 
/**
 * Subject, RFC 4514.
 */
subject: string, 
/**
 * Issuer, RFC 4514.
 */
issuer: string, 
/**
 * Serial, upper-case hex.
 */
serial: string, 
/**
 * Where the certificate came from: a file name, with " (PKCS#12)" for a bundle's own.
 */
source: string, };
export type KeyReport = { 
/**
 * The file it came from.
 */
source: string, 
/**
 * How the file held it: `pkcs8`, `encrypted-pkcs8`, `pkcs1`, `sec1`,
 * `pem-encrypted-pkcs1`, `pem-encrypted-sec1`, `pem-encrypted-pkcs8`, `pkcs12`.
 */
form: string, 
/**
 * Algorithm and size or curve: `rsa-2048`, `ec-p256`, `ec-p384`.
 */
key: string, 
/**
 * The PKCS#12 friendlyName of its bag, if any.
 */
label?: string, 
/**
 * The certificate (from the same file or the keyring) that carries its public key.
 */
certificate: KeyCertificate | null, 
/**
 * The certificates that came in the same file (a PKCS#12 bundle's).
 */
bundle_certificates?: Array<KeyCertificate>, };
export type ProfileReport = { 
/**
 * Profile name.
 */
name: string, 
/**
 * Whether every MUST holds.
 */
conforms: boolean, 
/**
 * What the profile read from the message, as name/value pairs in a stable order:
 * `sender_dn` (SSM's one-line form), `empa_id`, `request_id`, `message_kind`, …
 */
details?: Array<[string, string]>, 
/**
 * Profile findings.
 */
findings: Array<Finding>, };
export type FailureKind = "asn1" | "malformed" | "encoding" | "unrecognised" | "load" | "password" | "time" | "limit" | "option";
export type Failure = { 
/**
 * What kind of failure.
 */
kind: FailureKind, 
/**
 * The same one-line message as `error`.
 */
message: string, 
/**
 * The innermost layer being read when it failed (absent when none was read).
 */
layer?: number, 
/**
 * The byte offset of the offending element, in that layer's buffer, when known.
 */
offset?: number, };
export type ActionKind = "add-trust-anchor" | "add-certificate" | "add-crl" | "add-key" | "add-content-key";
export type Action = { 
/**
 * Which keyring input it asks for.
 */
kind: ActionKind, 
/**
 * The words of a button: "Add a trust anchor…".
 */
label: string, 
/**
 * The command-line option that does it: `--trust FILE`.
 */
option: string, };
export type Headline = { 
/**
 * One sentence: the decisive reason first, then the signer and the chain in words.
 */
sentence: string, 
/**
 * The code of the finding that decides the verdict, if one does.
 */
decisive?: string, 
/**
 * The next step, when one would change the answer.
 */
action?: Action, };
export type Report = { 
/**
 * Always [`SCHEMA`].
 */
schema: string, 
/**
 * The input.
 */
input: InputInfo, 
/**
 * Verification time used.
 */
verification_time: string, 
/**
 * The verdict.
 */
verdict: Verdict, 
/**
 * Why the input is unreadable, when it is.
 */
error?: string, 
/**
 * The same, as a type: what kind of failure, in which layer, at which byte offset.
 */
failure?: Failure, 
/**
 * Layers in discovery order, outermost first.
 */
layers: Array<Layer>, 
/**
 * The same layers as a tree.
 */
tree: Node | null, 
/**
 * Signatures found.
 */
signatures: Array<SignatureReport>, 
/**
 * Encryption layers: algorithms, recipients, whether and how they were opened.
 */
encryption: Array<EncryptionReport>, 
/**
 * The private keys the caller supplied, as loaded; absent when none were given.
 */
keys?: Array<KeyReport>, 
/**
 * Innermost content.
 */
content: Content | null, 
/**
 * Profiles.
 */
profiles: Array<ProfileReport>, 
/**
 * Findings.
 */
findings: Array<Finding>, 
/**
 * The answer first: the decisive reason, the signer and chain in words, the next step.
 */
headline: Headline, };
