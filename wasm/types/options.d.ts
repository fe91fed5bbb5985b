/** Bytes as a Uint8Array, an ArrayBuffer, or text (UTF-8, e.g. PEM). */
export type Bytes = Uint8Array | ArrayBuffer | string;

/** A file: its bytes, or its bytes with a name (shown in reports) and a password. */
export type FileInput = Bytes | { name?: string; bytes: Bytes; password?: string };

/** A time: a Date, milliseconds since 1970 (like Date.now()), or RFC 3339 text. */
export type TimeInput = Date | number | string;

/** Options of inspect(), inspectJson() and inspectDetailed(). */
export interface InspectOptions {
  /** The input's name in the report (default "input"). */
  name?: string;
  /** Verification time (default: now, by the browser's clock). */
  at?: TimeInput;
  /** Apply a profile whatever the input looks like: "emi", "ssm", "bitrepo", "scmp". */
  profile?: string;
  /** Trust anchors: X.509 (PEM or DER) or IEEE 1609.2 (COER) certificates. */
  trust?: FileInput[];
  /** Extra certificates: intermediates, signers, recipients. */
  certs?: FileInput[];
  /** CRLs (PEM or DER). */
  crls?: FileInput[];
  /**
   * Which certificates must have a revocation status from a CRL given: "where-available"
   * (default: CRLs are applied where one from the issuer is given), "signer", or "all"
   * (as openssl -crl_check / -crl_check_all).
   */
  crlCheck?: "where-available" | "signer" | "all";
  /**
   * Hold every certificate of a path to the whole RFC 5280 certificate profile (key
   * identifiers, criticality, serial numbers, name syntax), as openssl -x509_strict.
   */
  x509Strict?: boolean;
  /**
   * Acceptable certificate policies (RFC 5280 user-initial-policy-set) as dotted OIDs, each
   * entry one OID or several separated by commas; absent or empty: any policy (as openssl
   * -policy).
   */
  policies?: string[];
  /** Require a valid certificate policy for the whole path (as openssl -explicit_policy). */
  explicitPolicy?: boolean;
  /** Do not follow policy mappings (as openssl -inhibit_map). */
  inhibitPolicyMapping?: boolean;
  /** Do not take anyPolicy in a certificate as a match (as openssl -inhibit_any). */
  inhibitAnyPolicy?: boolean;
  /** Private keys: PKCS#8 (encrypted with a password), PKCS#1, SEC1, PKCS#12. */
  keys?: FileInput[];
  /** Passwords for password-based (PWRI) recipients. */
  passwords?: string[];
  /** APEL SSM sender allow-list (one-line /C=…/CN=… or RFC 4514 DNs). */
  allowedSenders?: string[];
  /** SCMP replay window in seconds. */
  replayWindow?: number;
  /** SCMS request time tolerance in seconds. */
  timeTolerance?: number;
  /** Largest input inspected, in bytes (default 256 MiB); a larger one is reported unreadable. */
  maxInput?: number;
  /** The content a detached signature covers, when given separately. */
  content?: Bytes;
}

/** inspectDetailed(): the report and the decoded buffers its layer ranges refer to. */
export interface InspectDetailed {
  report: Report;
  /** buffers[n] is buffer n of Layer.buffer; buffers[0] (the input) is empty. */
  buffers: Uint8Array[];
}

/** One thing added to a Keyring. */
export interface KeyringEntry {
  /** "trust", "namespace-policy", "certificate", "crl", "private-key", "pkcs12", "password", "kek", "content-key". */
  kind: string;
  name: string;
  /** How many objects the file gave. */
  count: number;
  /** One line per object: subject DNs, key types. */
  description: string[];
}

/** Options of compose(). */
export interface ComposeOptions {
  /** Sign first. The key may be PKCS#12 holding its certificate (then cert may be left out). */
  signer?: { cert?: Bytes; key: Bytes; password?: string; chain?: Bytes[] };
  /** "sha256" (default), "sha384", "sha512". */
  digest?: string;
  /** "detached" (multipart/signed, default) or "opaque". */
  form?: string;
  /** Certificates to include: "none", "signer", "chain". */
  include?: string;
  /** Encrypt to these certificates (RSA: key transport, EC: ECDH). */
  recipients?: Bytes[];
  /** "aes-128-cbc", "aes-192-cbc", "aes-256-cbc" (default), "aes-128-gcm", "aes-256-gcm". */
  cipher?: string;
  /** RSA recipients: "pkcs1v15" (default) or "oaep". */
  rsaPadding?: string;
  /** "mime" (default), "der", "pem". */
  output?: string;
  /** Signing time (default: now). */
  at?: TimeInput;
  /** Extra headers of the outer MIME entity, e.g. { Subject: "test" }. */
  headers?: Record<string, string>;
}

/** Options of composeScms(): a signed SCMS EE→RA request. */
export interface ScmsOptions {
  /** "download", "ra-cert", "pseudonym", "id". */
  request: string;
  /** The file a download request names. */
  filename?: string;
  /** requested-start-time of pseudonym and id requests (default: at). */
  start?: TimeInput;
  /** The enrollment certificate (COER). */
  cert: Bytes;
  /** Its P-256 private key. */
  key: Bytes;
  password?: string;
  /** Generation time (default: now). */
  at?: TimeInput;
}
