// Compiled by `tsc --noEmit --strict` in the test command: a portal's use of the package's
// TypeScript declarations must type-check (report fields, options, keyring, compose).
import init, { inspect, inspectDetailed, compose, composeScms, classify, Keyring, version } from '../../target/web-dist/pkg/sealscope-wasm.js';
import type { Report, Finding, SignatureReport, InspectOptions, ComposeOptions, KeyringEntry } from '../../target/web-dist/pkg/sealscope-wasm.js';

export async function portal(bytes: Uint8Array, ca: Uint8Array, key: Uint8Array): Promise<string> {
  await init();
  const options: InspectOptions = { name: 'message.eml', at: new Date(), trust: [ca], keys: [{ name: 'key.p12', bytes: key, password: 'pw' }], profile: 'ssm' };
  const report: Report = inspect(bytes, options);
  const plain: Report = inspect(bytes);
  const errors: Finding[] = report.findings.filter((f) => f.severity === 'error');
  const sig: SignatureReport | undefined = report.signatures[0];
  const signer: string = sig?.signer?.subject ?? 'no signer';
  const chain: string = sig ? sig.chain.status : 'not-checked';
  const detailed = inspectDetailed(bytes, { at: '2027-01-01T00:00:00Z' });
  const firstBuffer: Uint8Array | undefined = detailed.buffers[1];
  const ring = new Keyring();
  const entry: KeyringEntry = ring.addTrust(ca, 'ca.pem');
  const again: Report = ring.inspect(bytes, { at: Date.now() });
  const copts: ComposeOptions = { signer: { key, password: 'pw' }, recipients: [ca], cipher: 'aes-256-gcm', headers: { Subject: 'x' } };
  const out: Uint8Array = compose(new TextEncoder().encode('hi'), copts);
  const apdu: Uint8Array = composeScms({ request: 'download', filename: 'f.oer', cert: ca, key });
  const kind: string = classify(bytes, 'x.eml');
  return [version(), report.verdict, plain.verdict, errors.length, signer, chain, firstBuffer?.length, entry.kind,
    again.input.sha256, out.length, apdu.length, kind, report.content?.text ?? ''].join(' ');
}

// The async API on the page's shared engine (web/sealscope.mjs) and the element's events.
import * as Async from '../../target/web-dist/sealscope.mjs';
import type { SealscopeReportDetail } from '../../target/web-dist/sealscope.mjs';

export async function portalAsync(bytes: Uint8Array, ca: Uint8Array): Promise<string> {
  const report: Report = await Async.inspect(bytes, { trust: [ca], at: new Date() });
  const ring = new Async.Keyring();
  const entry: KeyringEntry = await ring.add(ca, 'ca.pem', undefined, true);
  const again: Report = await ring.inspect(bytes, { name: 'm.eml' });
  const el = document.createElement('sealscope-inspector');
  el.addEventListener('sealscope-report', (e) => {
    const d: SealscopeReportDetail = e.detail;
    console.log(d.name, d.report.verdict);
  });
  return [await Async.version(), report.verdict, entry.kind, again.verdict].join(' ');
}
