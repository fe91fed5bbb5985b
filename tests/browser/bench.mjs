// Benchmark in Chromium: parse + verify the same CMS SignedData (chain to the same anchor)
// with sealscope's wasm (the pkg/ ES module) and with PKI.js (npm pkijs, WebCrypto) on one
// page, and print the ratio. Inputs are composed by the native sealscope CLI: 4 KiB opaque
// signed-data, DER, with the intermediate included, signed with RSA-2048 and with P-256.
//
// Usage: node tests/browser/bench.mjs <dist dir> <sealscope binary>
import { chromium } from 'playwright-core';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { tmpdir } from 'node:os';

const [distArg, binArg] = process.argv.slice(2);
const dist = resolve(distArg || 'target/web-dist');
const bin = resolve(binArg);
const root = resolve(new URL('../..', import.meta.url).pathname);
const nm = join(root, 'tests/browser/node_modules');
const fx = (p) => join(root, 'tests/fixtures', p);
const AT = '2027-01-01T00:00:00Z';

const work = join(tmpdir(), `sealscope-bench-${process.pid}`);
mkdirSync(work, { recursive: true });
const payload = join(work, 'payload.txt');
writeFileSync(payload, 'Sealscope benchmark payload line, 64 bytes long, for both sides.\n'.repeat(64));
const inputs = {};
for (const [name, signer] of [['rsa-2048', 'signer-rsa'], ['p256', 'signer-p256']]) {
  const out = join(work, `${name}.der`);
  execFileSync(bin, ['compose', '--signer', fx(`pki/${signer}.pem`), '--signer-key', fx(`pki/${signer}.key`),
    '--chain', fx('pki/inter-ca.pem'), '--opaque', '--outform', 'der', '--at', '2026-06-01T00:00:00Z', '--out', out, payload]);
  inputs[name] = readFileSync(out).toString('base64');
}
const anchor = readFileSync(fx('pki/root-ca.der')).toString('base64');

const page = `<!doctype html><meta charset="utf-8"><title>sealscope vs PKI.js</title>
<script type="importmap">${JSON.stringify({ imports: {
  pkijs: '/nm/pkijs/build/index.es.js', asn1js: '/nm/asn1js/build/index.es.js',
  pvtsutils: '/nm/pvtsutils/build/index.es.js', pvutils: '/nm/pvutils/build/utils.es.js',
  bytestreamjs: '/nm/bytestreamjs/build/mjs/index.js',
  '@noble/hashes/sha1': '/nm/@noble/hashes/esm/sha1.js', '@noble/hashes/sha256': '/nm/@noble/hashes/esm/sha256.js',
  '@noble/hashes/sha512': '/nm/@noble/hashes/esm/sha512.js', '@noble/hashes/crypto': '/nm/@noble/hashes/esm/crypto.js' } })}</script>
<body>bench</body>`;
const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
const server = http.createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  if (path === '/bench.html') { res.writeHead(200, { 'Content-Type': 'text/html' }); res.end(page); return; }
  const [base, rel] = path.startsWith('/nm/') ? [nm, path.slice(4)] : [dist, path.slice(1)];
  let file = resolve(join(base, rel));
  // bytestreamjs's ES build imports "./bit" and the like without the extension.
  if (!existsSync(file) && existsSync(`${file}.js`)) file = `${file}.js`;
  if (!file.startsWith(base + sep) || !existsSync(file) || !statSync(file).isFile()) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { 'Content-Type': TYPES[extname(file)] || 'application/octet-stream' });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/bench.html`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
let code = 0;
try {
  const p = await browser.newPage();
  p.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  p.on('response', (r) => { if (r.status() >= 400) console.error(`bench: ${r.status()} for ${r.url()}`); });
  await p.goto(url);
  const results = await p.evaluate(async ([inputsB64, anchorB64, at]) => {
    const b = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
    const ss = await import('/pkg/sealscope-wasm.js');
    await ss.default({ module_or_path: '/pkg/sealscope-wasm_bg.wasm' });
    const pkijs = await import('pkijs');
    const asn1js = await import('asn1js');
    const anchorDer = b(anchorB64);
    const keyring = new ss.Keyring();
    keyring.addTrust(anchorDer, 'root-ca.der');
    const trusted = pkijs.Certificate.fromBER(anchorDer);
    const checkDate = new Date(at);
    const out = [];
    for (const [name, b64] of Object.entries(inputsB64)) {
      const der = b(b64);
      const ssOnce = () => {
        const r = keyring.inspect(der, { name, at });
        if (r.verdict !== 'valid') throw new Error(`sealscope: ${name} is ${r.verdict}`);
      };
      const pkiOnce = async () => {
        const ci = pkijs.ContentInfo.fromBER(der);
        const sd = new pkijs.SignedData({ schema: ci.content });
        const ok = await sd.verify({ signer: 0, trustedCerts: [trusted], checkChain: true, checkDate });
        if (ok !== true) throw new Error(`PKI.js: ${name} does not verify`);
      };
      const time = async (fn) => {
        for (let i = 0; i < 5; i++) await fn(); // warm up
        let n = 0;
        const t0 = performance.now();
        while (performance.now() - t0 < 2000 || n < 20) { await fn(); n++; }
        return (performance.now() - t0) / n;
      };
      const ssMs = await time(ssOnce);
      const pkiMs = await time(pkiOnce);
      out.push({ name, ssMs, pkiMs, bytes: der.length });
    }
    void asn1js;
    return out;
  }, [inputs, anchor, AT]);
  for (const r of results) {
    console.log(`bench ${r.name} (${r.bytes} bytes DER, chain of 3): sealscope wasm ${r.ssMs.toFixed(3)} ms, PKI.js ${r.pkiMs.toFixed(3)} ms per parse+verify; sealscope/PKI.js = ${(r.ssMs / r.pkiMs).toFixed(2)}`);
  }
} catch (e) {
  console.error(`bench failed: ${e.stack || e}`);
  code = 1;
} finally {
  await browser.close();
  server.close();
}
process.exit(code);
