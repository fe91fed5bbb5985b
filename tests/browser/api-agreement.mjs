// The wasm API gives the same reports as the native core: for every committed fixture group,
// `sealscope inspect --json` (native) and inspectJson() from the built package (wasm, in
// Node) must write byte-identical JSON for the same input, keyring and verification time.
//
// Usage: node tests/browser/api-agreement.mjs <sealscope binary> <package dir>
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const [bin, pkgDir] = process.argv.slice(2).map((p) => resolve(p));
if (!bin || !pkgDir) {
  console.error('usage: api-agreement.mjs <sealscope binary> <package dir>');
  process.exit(2);
}
const root = resolve(new URL('../..', import.meta.url).pathname);
const fixtures = join(root, 'tests/fixtures');
const wasmApi = await import(join(pkgDir, 'sealscope-wasm.js'));
wasmApi.initSync({ module: readFileSync(join(pkgDir, 'sealscope-wasm_bg.wasm')) });

const AT = '2027-01-01T00:00:00Z';
const pki = (f) => `tests/fixtures/pki/${f}`;
const dot2 = (f) => `tests/fixtures/ieee1609/${f}`;
const RSA_KEYS = ['recip-rsa.key', 'recip-rsa2.key', 'recip-p256.key', 'recip-p384.key'].map(pki);
const GROUPS = [
  { dirs: ['messages'], trust: [pki('root-ca.pem')], certs: [pki('inter-ca.pem')], crls: [pki('root-ca.crl.pem'), pki('inter-ca.crl.pem')], keys: [] },
  { dirs: ['messages'], trust: [], certs: [], crls: [], keys: [] },
  // A revocation status required for every certificate, with only the intermediate's CRL.
  { dirs: ['messages'], trust: [pki('root-ca.pem')], certs: [pki('inter-ca.pem')], crls: [pki('inter-ca.crl.pem')], keys: [], crlCheck: 'all' },
  // Strict RFC 5280 profile checks over NSS's test messages (their certificates lack an
  // authorityKeyIdentifier, which only strict checking rejects).
  { dirs: ['peers/thunderbird/smime'], trust: ['tests/fixtures/peers/thunderbird/smime/TestCA.pem'], certs: [], crls: [], keys: [], x509Strict: true },
  // Initial certificate-policy inputs (the test PKI asserts no policy: an explicit one fails).
  { dirs: ['messages'], trust: [pki('root-ca.pem')], certs: [pki('inter-ca.pem')], crls: [], keys: [],
    policies: ['2.16.840.1.101.3.2.1.48.1'], explicitPolicy: true },
  // A grid trust directory with IGTF CA namespace policies (.namespaces, .signing_policy).
  { dirs: ['igtf/messages'], trust: files('igtf/shadow'), certs: [], crls: [], keys: [] },
  { dirs: ['encrypted'], trust: [pki('root-ca.pem')], certs: [pki('inter-ca.pem')], crls: [], keys: RSA_KEYS },
  { dirs: ['profiles/emi', 'profiles/ssm', 'profiles/bitrepo'], trust: [pki('root-ca.pem')], certs: [pki('inter-ca.pem')], crls: [], keys: RSA_KEYS },
  // SCMP requests repeat one request id across files: a Keyring (one session, like one CLI
  // batch) flags the repeats; the free function (a fresh session per call) agrees with one
  // command per file.
  { dirs: ['profiles/scmp'], perFile: true, trust: [pki('root-ca.pem')], certs: [pki('inter-ca.pem')], crls: [], keys: RSA_KEYS },
  { dirs: ['unreadable'], trust: [], certs: [], crls: [], keys: [] },
  { dirs: ['ieee1609/signed', 'ieee1609/unsigned', 'ieee1609/scms', 'ieee1609/http', 'ieee1609/bad', 'ieee1609/encrypted'],
    trust: ['root-p256.coer', 'root-p384.coer', 'root-bp256.coer', 'root-bp384.coer'].map((c) => dot2(`certs/${c}`)),
    certs: ['eca-p256.coer', 'eca-p256-regional.coer', 'ra-p256.coer'].map((c) => dot2(`certs/${c}`)),
    // 1609.2 CRLs (hash- and linkage-based) and the ECIES recipients' keys (P-256, brainpoolP256r1).
    crls: ['hash.coer', 'linked.coer'].map((c) => dot2(`crl/${c}`)),
    keys: ['ra-p256-enc.pem', 'ecies-recipient-bp256.pem'].map((k) => dot2(`keys/${k}`)), at: '2025-06-01T12:00:30Z' },
  // Implicit (ECQV) certificates of a deployed SCMS: keys reconstructed from the PCA's.
  { dirs: ['ieee1609/implicit'], trust: [dot2('scms-bundle/rca.coer')],
    certs: ['ica.coer', 'pca.coer', 'rse-0.coer'].map((c) => dot2(`scms-bundle/${c}`)), crls: [], keys: [],
    at: '2021-01-20T00:00:30Z' },
];

function files(dir) {
  const abs = join(fixtures, dir);
  return readdirSync(abs).filter((f) => statSync(join(abs, f)).isFile() && !f.endsWith('.md') && !f.endsWith('.tsv'))
    .sort().map((f) => `tests/fixtures/${dir}/${f}`);
}

let compared = 0;
let composed = 0;
let failures = 0;
for (const g of GROUPS) {
  const inputs = g.dirs.flatMap(files);
  const at = g.at || AT;
  const args = ['inspect', '--json', '--at', at];
  for (const t of g.trust) args.push('--trust', t);
  for (const c of g.certs) args.push('--cert', c);
  for (const c of g.crls) args.push('--crl', c);
  for (const k of g.keys) args.push('--key', k);
  if (g.crlCheck === 'all') args.push('--crl-check-all');
  if (g.x509Strict) args.push('--x509-strict');
  for (const p of g.policies || []) args.push('--policy', p);
  if (g.explicitPolicy) args.push('--explicit-policy');
  const native = (list) => {
    try {
      return execFileSync(bin, [...args, ...list], { cwd: root, maxBuffer: 256 << 20 });
    } catch (e) {
      return e.stdout; // exit 1 when some verdict is invalid: the reports are still written
    }
  };
  const toLines = (out) => out.toString('utf8').split('\n').filter(Boolean);
  const lines = toLines(native(inputs));
  const single = g.perFile ? toLines(Buffer.concat(inputs.map((f) => native([f])))) : lines;
  if (lines.length !== inputs.length || single.length !== inputs.length) {
    console.error(`FAIL ${g.dirs.join(',')}: ${lines.length} native reports for ${inputs.length} inputs`);
    failures++;
    continue;
  }
  const load = (list) => list.map((p) => ({ name: p, bytes: readFileSync(join(root, p)) }));
  const keyring = new wasmApi.Keyring();
  for (const f of load(g.trust)) keyring.addTrust(f.bytes, f.name);
  for (const f of load(g.certs)) keyring.addCertificates(f.bytes, f.name);
  for (const f of load(g.crls)) keyring.addCrls(f.bytes, f.name);
  for (const f of load(g.keys)) keyring.addKeys(f.bytes, f.name);
  if (g.crlCheck) keyring.setCrlCheck(g.crlCheck);
  if (g.x509Strict) keyring.setX509Strict(true);
  if (g.policies || g.explicitPolicy) keyring.setPolicy((g.policies || []).join(','), !!g.explicitPolicy, false, false);
  inputs.forEach((input, i) => {
    const bytes = readFileSync(join(root, input));
    const wasmJson = keyring.inspectJson(bytes, { name: input, at });
    // The free function with inline material must agree too.
    const inlineJson = wasmApi.inspectJson(bytes, {
      name: input, at: Date.parse(at), trust: load(g.trust), certs: load(g.certs), crls: load(g.crls), keys: load(g.keys),
      ...(g.crlCheck ? { crlCheck: g.crlCheck } : {}),
      ...(g.x509Strict ? { x509Strict: true } : {}),
      ...(g.policies ? { policies: g.policies, explicitPolicy: !!g.explicitPolicy } : {}),
    });
    compared++;
    if (wasmJson !== lines[i] || inlineJson !== single[i]) {
      failures++;
      console.error(`FAIL ${input}: wasm and native reports differ`);
      const [other, want] = wasmJson !== lines[i] ? [wasmJson, lines[i]] : [inlineJson, single[i]];
      let at = 0;
      while (at < other.length && other[at] === want[at]) at++;
      const from = Math.max(0, at - 150);
      console.error(`  first difference at character ${at}`);
      console.error(`  native: …${want.slice(from, at + 250)}`);
      console.error(`  wasm:   …${other.slice(from, at + 250)}`);
    }
  });
  keyring.free();
}

// Errors become exceptions with the core's message, never a crash.
let threw = 0;
for (const [what, fn] of [
  ['bad trust', () => wasmApi.inspect(new Uint8Array([1, 2, 3]), { trust: [new Uint8Array([0x30, 0x03, 1, 2, 3])] })],
  ['bad time', () => wasmApi.inspect(new Uint8Array([1]), { at: 'yesterday' })],
  ['bad profile', () => wasmApi.inspect(new Uint8Array([1]), { profile: 'nope' })],
  ['encrypted key without password', () => wasmApi.inspect(new Uint8Array([1]), { keys: [readFileSync(join(fixtures, 'pki/recip-rsa.enc.pem'))] })],
]) {
  try { fn(); console.error(`FAIL ${what}: no exception`); failures++; } catch (e) {
    if (!(e instanceof Error) || !e.message || /unreachable|panicked/.test(e.message)) { console.error(`FAIL ${what}: ${e}`); failures++; } else threw++;
  }
}
// compose() through the wasm API (randomness from the JavaScript host), accepted by the
// OpenSSL CLI: decrypt with the recipient key, then verify the signature to the root.
{
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'sealscope-wasm-compose-'));
  const text = 'Composed by the sealscope wasm API\r\n';
  const p = (f) => join(fixtures, 'pki', f);
  for (const [signer, cipher, rsaPadding] of [['signer-rsa', 'aes-256-cbc', 'pkcs1v15'], ['signer-p256', 'aes-128-gcm', 'oaep']]) {
    const msg = wasmApi.compose(new TextEncoder().encode(text), {
      signer: { cert: readFileSync(p(`${signer}.pem`)), key: readFileSync(p(`${signer}.key`)), chain: [readFileSync(p('inter-ca.pem'))] },
      recipients: [readFileSync(p('recip-rsa.pem'))], cipher, rsaPadding, headers: { Subject: 'wasm compose' },
    });
    const file = join(dir, `${signer}.eml`);
    writeFileSync(file, msg);
    try {
      const inner = execFileSync('openssl', ['cms', '-decrypt', '-in', file, '-inkey', p('recip-rsa.key'), '-recip', p('recip-rsa.pem')]);
      const content = execFileSync('openssl', ['cms', '-verify', '-CAfile', p('root-ca.pem'), '-purpose', 'any'], { input: inner, stdio: ['pipe', 'pipe', 'pipe'] });
      if (!content.toString().includes(text.trim())) throw new Error(`openssl verified other content: ${content}`);
      console.log(`ok   wasm compose ${signer} ${cipher} ${rsaPadding}: openssl cms -decrypt and -verify accept it`);
      composed++;
    } catch (e) {
      failures++;
      console.error(`FAIL wasm compose ${signer} ${cipher}: ${e.stderr ? e.stderr.toString() : e.message}`);
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

const empty = wasmApi.inspect(new Uint8Array(), { name: 'empty', at: AT });
if (empty.verdict !== 'unreadable') { console.error('FAIL empty input is not unreadable'); failures++; }

console.log(`api-agreement: ${compared} reports compared byte for byte (wasm vs native), ${composed} wasm compositions accepted by OpenSSL, ${threw} option errors thrown as Error, ${failures} failures`);
process.exit(failures ? 1 : 0);
