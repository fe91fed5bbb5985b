// End-to-end test of the browser inspector in real headless Chromium.
//
// Serves the built page (trunk build --release) on 127.0.0.1, drops fixture files and keys,
// and asserts verdicts, signer DNs, decrypted text and finding codes in the DOM; checks that
// the page makes no request but for its own assets (and that its CSP blocks fetch); works
// offline and from disk; stays responsive on a 50 MiB input. Screenshots go to
// target/screenshots/.
//
// Usage: node tests/browser/e2e.mjs <dist dir> <sealscope binary>
import { chromium } from 'playwright-core';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { tmpdir } from 'node:os';

const [distArg, binArg] = process.argv.slice(2);
const dist = resolve(distArg || 'target/web-dist');
const bin = binArg ? resolve(binArg) : null;
const root = resolve(new URL('../..', import.meta.url).pathname);
const fx = (p) => join(root, 'tests/fixtures', p);
const shots = join(root, 'target/screenshots');
mkdirSync(shots, { recursive: true });

let failures = 0;
let checks = 0;
function check(cond, what) {
  checks++;
  if (cond) console.log(`ok   ${what}`);
  else { failures++; console.error(`FAIL ${what}`); }
}

// ------------------------------------------------------------------ static server (loopback)
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.ts': 'text/plain' };
const served = [];
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  let path = decodeURIComponent(url.pathname);
  if (path.endsWith('/')) path += 'index.html';
  const file = resolve(join(dist, path));
  served.push(path);
  if (!file.startsWith(dist + sep) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
    return;
  }
  res.writeHead(200, { 'Content-Type': TYPES[extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-store' });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;
const assets = new Set(readdirSync(dist).filter((f) => statSync(join(dist, f)).isFile()).map((f) => base + f));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  timeout: 60000,
});
const guard = setTimeout(() => { console.error('FAIL the browser test ran over 10 minutes'); process.exit(1); }, 600000);

try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true, colorScheme: 'light' });
  const page = await context.newPage();
  page.setDefaultTimeout(60000);
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

  await page.goto(base + 'index.html');
  await page.waitForSelector('sealscope-inspector[data-ready]');
  check(true, 'the page loads and the engine starts in a Web Worker');
  check(await page.isVisible('label[for=ss-files-1]') && await page.$('input[type=file][multiple].ss-files') !== null,
    'a visible file chooser for several files');
  // Every report is announced to the embedding page.
  await page.evaluate(() => {
    window.ssReports = [];
    document.addEventListener('sealscope-report', (e) => window.ssReports.push(`${e.detail.name}=${e.detail.report.verdict}`));
  });
  check((await page.textContent('.ss-memory-note')).includes('memory only'), 'the page says keys stay in the tab\'s memory');

  const reportCount = () => page.$$eval('.ss-report', (a) => a.length);
  async function choose(selector, paths) {
    const before = await reportCount();
    await page.setInputFiles(selector, paths);
    return before;
  }
  async function waitReport(name, before) {
    await page.waitForFunction(([n, b]) => document.querySelectorAll('.ss-report').length > b &&
      Array.from(document.querySelectorAll('.ss-report .ss-name')).some((e) => e.textContent === n), [name, before]);
    return page.locator('.ss-report', { has: page.locator('.ss-name', { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();
  }
  async function drop(selector, paths) {
    const files = paths.map((p) => ({ name: p.split('/').pop(), b64: readFileSync(p).toString('base64') }));
    const before = await reportCount();
    await page.evaluate(([sel, list]) => {
      const dt = new DataTransfer();
      for (const f of list) {
        const raw = atob(f.b64);
        const bytes = new Uint8Array(raw.length);
        for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
        dt.items.add(new File([bytes], f.name));
      }
      document.querySelector(sel).dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, [selector, files]);
    return before;
  }

  // 0. The answer first: before any anchor, a signed message's banner says why it is only a
  // warning and offers the step that answers it; the step adds the anchor and inspects again.
  let before0 = await choose('.ss-files', fx('messages/rsa-sha256.eml'));
  let rep0 = await waitReport('rsa-sha256.eml', before0);
  const banner0 = await rep0.locator('.ss-banner-text').textContent();
  check(await rep0.getAttribute('data-verdict') === 'warning' && banner0.startsWith('Warning: ') &&
    banner0.includes('Signed by Alice RSA'), `banner before any anchor: "${banner0}"`);
  const action0 = rep0.locator('.ss-banner-action[data-action=add-trust-anchor]');
  check(await action0.count() === 1 && (await action0.textContent()) === 'Add a trust anchor…',
    'the banner offers "Add a trust anchor…"');
  await page.screenshot({ path: join(shots, 'banner-no-anchor.png'), fullPage: false });
  const [chooser0] = await Promise.all([page.waitForEvent('filechooser'), action0.click()]);
  await chooser0.setFiles(fx('pki/root-ca.pem'));
  await page.waitForFunction(() => Array.from(document.querySelectorAll('.ss-report'))
    .some((r) => r.querySelector('.ss-name').textContent === 'rsa-sha256.eml' && r.dataset.verdict === 'valid'));
  const banner1 = await page.locator('.ss-report[data-verdict=valid] .ss-banner-text').first().textContent();
  check(banner1.startsWith('Valid. Signed by Alice RSA') && banner1.includes('chain trusted to Sealscope Test Root CA'),
    `after the action the report was inspected again: "${banner1}"`);
  await page.click('.ss-clear-results');

  // 1. Trust anchor through the keyring's chooser, an intermediate by drop.
  await page.setInputFiles('.ss-trust-files', fx('pki/root-ca.pem'));
  await page.waitForSelector('.ss-key-entry[data-kind=trust]');
  await drop('.ss-drop[data-zone=messages]', [fx('pki/inter-ca.pem')]);
  await page.waitForSelector('.ss-key-entry[data-kind=certificate]');
  check((await page.textContent('.ss-key-entry[data-kind=trust]')).includes('CN=Sealscope Test Root CA'), 'trust anchor listed with its DN');

  // 2. A signed message through the file chooser.
  let before = await choose('.ss-files', fx('messages/rsa-sha256.eml'));
  let rep = await waitReport('rsa-sha256.eml', before);
  check(await rep.getAttribute('data-verdict') === 'valid', 'rsa-sha256.eml: verdict valid');
  const signer = await rep.locator('[data-field=signer-subject]').first().textContent();
  check(signer.includes('CN=Alice RSA') && signer.includes('O=Sealscope Test'), `rsa-sha256.eml: signer DN ${signer}`);
  check(await rep.locator('.ss-chain .ss-badge[data-value=trusted]').count() === 1, 'rsa-sha256.eml: chain trusted');
  check((await rep.locator('.ss-fields').first().textContent()).includes('SHA-256'), 'rsa-sha256.eml: input digest shown');
  await page.screenshot({ path: join(shots, 'signed-valid.png'), fullPage: false });

  // 3. Keyboard navigation of the layer tree selects a node and highlights its bytes.
  await rep.locator('[role=treeitem][aria-selected=true]').first().focus();
  const firstSel = await rep.locator('[role=treeitem][aria-selected=true]').getAttribute('data-layer');
  await page.keyboard.press('ArrowDown');
  const secondSel = await rep.locator('[role=treeitem][aria-selected=true]').getAttribute('data-layer');
  check(firstSel !== secondSel, `ArrowDown moves the tree selection (layer ${firstSel} → ${secondSel})`);
  check(await rep.locator('.ss-hexview mark').count() > 0, 'the selected node\'s bytes are highlighted in the hex view');
  check(await page.evaluate(() => document.activeElement.getAttribute('role')) === 'treeitem', 'focus stays on the tree');
  // Headers and bytes are folded until asked for; once opened they stay open as the
  // selection moves.
  check(await rep.locator('.ss-fold-hex').evaluate((d) => !d.open), 'the bytes are folded by default');
  await rep.locator('.ss-fold-hex > summary').click();
  await rep.locator('[role=treeitem][aria-selected=true]').first().focus();
  await page.keyboard.press('ArrowUp');
  check(await rep.locator('.ss-fold-hex').evaluate((d) => d.open) && await rep.locator('.ss-hexview mark').first().isVisible(),
    'opened, the bytes stay open for the next layer selected');

  // 4. A key and an encrypted message in one drop: the key goes to the keyring first.
  before = await drop('.ss-drop[data-zone=messages]', [fx('encrypted/ktri-aes128-cbc.eml'), fx('pki/recip-rsa.key')]);
  rep = await waitReport('ktri-aes128-cbc.eml', before);
  check(await rep.locator('.ss-encryption[data-decrypted=true]').count() === 1, 'ktri-aes128-cbc.eml: decrypted with the dropped key');
  const plain = readFileSync(fx('content/content-crlf.txt'), 'utf8').replace(/\r\n/g, '\n').trim().split('\n')[0];
  check((await rep.locator('.ss-content-text').textContent()).includes(plain), `decrypted text shown ("${plain}")`);

  // 5. An encrypted PKCS#12 asks for its password.
  await drop('.ss-drop[data-zone=messages]', [fx('pki/recip-p256.p12')]);
  await page.waitForSelector('.ss-password:not([hidden]) input[type=password]');
  await page.fill('.ss-password-input', 'sealscope');
  await page.press('.ss-password-input', 'Enter');
  await page.waitForSelector('.ss-key-entry[data-kind=pkcs12]');
  check(true, 'PKCS#12 opened with the password typed into the page');

  // 6. Profile findings with their citations (the EMI profile chosen on the page).
  await page.selectOption('.ss-profile-select', 'emi');
  before = await choose('.ss-files', [fx('profiles/emi/not-signed.eml'), fx('profiles/emi/micalg-missing.eml')]);
  rep = await waitReport('not-signed.eml', before);
  check(await rep.getAttribute('data-verdict') === 'invalid', 'not-signed.eml: verdict invalid');
  check(await rep.locator('.ss-finding[data-code=not-signed]').count() > 0, 'not-signed.eml: finding not-signed');
  check((await rep.locator('.ss-finding[data-code=not-signed] cite').first().textContent()).length > 0, 'findings cite their specification');
  rep = await waitReport('micalg-missing.eml', before);
  check(await rep.locator('.ss-finding[data-code=micalg-missing]').count() > 0, 'micalg-missing.eml: finding micalg-missing (two files in one choice)');
  check(await rep.locator('.ss-profile[data-profile=emi]').count() === 1, 'micalg-missing.eml: EMI profile judged');
  // 6a. The overview: every message with its verdict; one report shown, chosen from the list.
  await page.locator('.ss-message-item', { hasText: 'not-signed.eml' }).first().click();
  check(await page.locator('.ss-report:not([hidden]) .ss-name').textContent() === 'not-signed.eml' &&
    await page.locator('.ss-report:not([hidden])').count() === 1,
  `the message list shows one report at a time (${await page.locator('.ss-message-item').count()} messages listed)`);
  await page.locator('.ss-message-list').focus();
  await page.keyboard.press('ArrowDown');
  check(await page.locator('.ss-report:not([hidden]) .ss-name').textContent() === 'micalg-missing.eml',
    'ArrowDown in the list shows the next message');
  await page.selectOption('.ss-profile-select', '');

  // 6b. A STOMP frame (APEL SSM) and a detached .p7s dropped with its content.
  before = await drop('.ss-drop[data-zone=messages]', [fx('profiles/ssm/message.stomp')]);
  rep = await waitReport('message.stomp', before);
  check(await rep.locator('[role=treeitem] .ss-tree-kind', { hasText: /^stomp/ }).count() > 0, 'message.stomp: the STOMP frame is a layer of the tree');
  check(await rep.locator('.ss-profile[data-profile=ssm]').count() === 1, 'message.stomp: judged as APEL SSM');
  before = await drop('.ss-drop[data-zone=messages]', [fx('messages/rsa-detached.p7s'), fx('content/content.txt')]);
  rep = await waitReport('rsa-detached.p7s', before);
  check(await rep.getAttribute('data-verdict') === 'valid', 'rsa-detached.p7s dropped with content.txt: verdict valid');
  check((await rep.locator('.ss-detached-content').textContent()).includes('content.txt'), 'the page says which file the detached signature covers');

  // 7. An IEEE 1609.2 APDU with a COER root dropped on the keyring, at the vectors' time.
  await drop('.ss-keyring', [fx('ieee1609/certs/root-p256.coer')]);
  await page.waitForFunction(() => document.querySelectorAll('.ss-key-entry[data-kind=trust]').length >= 2);
  await drop('.ss-drop[data-zone=messages]', [fx('ieee1609/certs/eca-p256.coer')]);
  await page.waitForFunction(() => document.querySelectorAll('.ss-key-entry[data-kind=certificate]').length >= 2);
  await page.fill('.ss-at', '2025-06-01T12:00:30');
  before = await choose('.ss-files', fx('ieee1609/signed/p256-certificate.coer'));
  rep = await waitReport('p256-certificate.coer', before);
  check(await rep.getAttribute('data-verdict') === 'valid', 'p256-certificate.coer: 1609.2 verdict valid');
  check((await rep.locator('.ss-signature').first().textContent()).includes('8ac46eedceee9b2f'), '1609.2 signer HashedId8 shown');
  await page.screenshot({ path: join(shots, 'ieee1609.png') });

  // 7b. An implicit (ECQV) certificate of a deployed SCMS: its key is reconstructed from the
  // PCA's, and its layer shows that key and its permissions.
  const trustBefore = await page.$$eval('.ss-key-entry[data-kind=trust]', (a) => a.length);
  await drop('.ss-keyring', [fx('ieee1609/scms-bundle/rca.coer')]);
  await page.waitForFunction((n) => document.querySelectorAll('.ss-key-entry[data-kind=trust]').length > n, trustBefore);
  const certsBefore = await page.$$eval('.ss-key-entry[data-kind=certificate]', (a) => a.length);
  await drop('.ss-drop[data-zone=messages]', [fx('ieee1609/scms-bundle/ica.coer'), fx('ieee1609/scms-bundle/pca.coer')]);
  await page.waitForFunction((n) => document.querySelectorAll('.ss-key-entry[data-kind=certificate]').length >= n + 2, certsBefore);
  await page.fill('.ss-at', '2021-01-20T00:00:30');
  await page.dispatchEvent('.ss-at', 'change'); // as a browser does when the field is left
  // Let the inspection again at the new time finish before adding a message.
  await page.evaluate(() => document.querySelector('sealscope-inspector').reinspecting);
  before = await choose('.ss-files', fx('ieee1609/implicit/rse0-certificate.coer'));
  rep = await waitReport('rse0-certificate.coer', before);
  check(await rep.getAttribute('data-verdict') === 'valid', 'rse0-certificate.coer: signed with an implicit certificate, verdict valid');
  const contentNode = await rep.locator('.ss-node').textContent();
  check(!contentNode.includes('null'), 'a layer\'s details never show a literal null');
  await rep.locator('.ss-tree-kind', { hasText: /^ieee1609-certificate$/ }).first().click();
  const implicitNode = await rep.locator('.ss-node').textContent();
  check(implicitNode.includes('reconstructed key') && implicitNode.includes('0496077cc3bffc3ae73cc60bd7fe6b9d') &&
    implicitNode.includes('appPermissions'), 'the implicit certificate shows its reconstructed key and permissions');
  await page.screenshot({ path: join(shots, 'ieee1609-implicit.png') });

  // 7c. 1609.2 encryptedData to a brainpoolP256r1 key dropped on the keyring: decrypted.
  const keysBefore = await page.$$eval('.ss-key-entry', (a) => a.length);
  await drop('.ss-keyring', [fx('ieee1609/keys/ecies-recipient-bp256.pem')]);
  await page.waitForFunction((n) => document.querySelectorAll('.ss-key-entry').length > n, keysBefore);
  // Back to the vectors' time: the earlier reports are inspected again at it.
  await page.fill('.ss-at', '2025-06-01T12:00:30');
  await page.dispatchEvent('.ss-at', 'change');
  await page.evaluate(() => document.querySelector('sealscope-inspector').reinspecting);
  await page.waitForFunction(() => Array.from(document.querySelectorAll('.ss-report'))
    .some((r) => r.querySelector('.ss-name').textContent === 'rsa-sha256.eml' && r.getAttribute('data-verdict') === 'valid'));
  check(true, 'a new verification time inspects every message again (rsa-sha256.eml valid at the vectors\' time)');
  before = await choose('.ss-files', fx('ieee1609/encrypted/ecies-bp256.coer'));
  rep = await waitReport('ecies-bp256.coer', before);
  check(await rep.locator('.ss-encryption[data-decrypted=true]').count() === 1, 'ecies-bp256.coer: decrypted with the dropped brainpoolP256r1 key');

  // 7d. The embedding page heard one sealscope-report event per report.
  const heard = await page.evaluate(() => window.ssReports);
  check(heard.includes('rse0-certificate.coer=valid') && heard.includes('ecies-bp256.coer=warning') && heard.length >= 9,
    `a sealscope-report event per report (${heard.length})`);

  // 8. Export JSON.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('.ss-export')]);
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
  check(Array.isArray(exported) && exported.some((r) => r.input.name === 'rsa-sha256.eml' && r.verdict === 'valid'),
    `export JSON holds the reports (${Array.isArray(exported) ? exported.length : 0})`);
  // 8b. The report to hand on: one HTML file, no script, the same headlines.
  const [htmlDownload] = await Promise.all([page.waitForEvent('download'), page.click('.ss-save-html')]);
  const html = readFileSync(await htmlDownload.path(), 'utf8');
  check(html.startsWith('<!DOCTYPE html>') && !html.includes('<script') &&
    html.split('<section>').length - 1 === exported.length &&
    html.includes(exported.find((r) => r.verdict === 'valid').headline.sentence.replace(/&/g, '&amp;')),
  `Save report (HTML): one section per report (${html.split('<section>').length - 1}), headlines, no script`);

  // 9. Nothing leaves the browser: only the page's own assets were requested, and the CSP
  // blocks a fetch even to the page's own origin.
  const foreign = requests.filter((u) => !assets.has(u) && !u.startsWith('blob:') && !u.startsWith('data:'));
  check(foreign.length === 0, `no request but the page's assets (${requests.length} requests${foreign.length ? ': ' + foreign.join(' ') : ''})`);
  const fetchResult = await page.evaluate((u) => fetch(u).then(() => 'allowed', () => 'blocked'), base + 'index.html');
  check(fetchResult === 'blocked', 'connect-src \'none\' blocks fetch from the page');
  const cspErrors = errors.filter((e) => !/Content Security Policy|Refused to connect|Failed to fetch/.test(e));
  check(cspErrors.length === 0, `no page errors${cspErrors.length ? ': ' + cspErrors.join(' | ') : ''}`);

  // 10. Offline once loaded.
  await context.setOffline(true);
  before = await choose('.ss-files', fx('messages/p256-sha256.eml'));
  rep = await waitReport('p256-sha256.eml', before);
  check(['valid', 'warning', 'invalid'].includes(await rep.getAttribute('data-verdict')), 'works offline');
  await context.setOffline(false);

  // 11. A 50 MiB message does not freeze the page.
  if (bin) {
    const dir = join(tmpdir(), `sealscope-e2e-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const big = join(dir, 'big.txt');
    const line = 'Sealscope large-input line of text for the browser test, 0123456789.\r\n';
    writeFileSync(big, line.repeat(Math.ceil(50 * 1048576 / line.length)));
    const signed = join(dir, 'big-50mib.p7m');
    execFileSync(bin, ['compose', '--signer', fx('pki/signer-rsa.pem'), '--signer-key', fx('pki/signer-rsa.key'),
      '--opaque', '--outform', 'der', '--out', signed, big], { stdio: 'inherit' });
    const size = statSync(signed).size;
    await page.evaluate(() => {
      self.ssGaps = { last: performance.now(), max: 0, ticks: 0 };
      self.ssTimer = setInterval(() => {
        const t = performance.now();
        self.ssGaps.max = Math.max(self.ssGaps.max, t - self.ssGaps.last);
        self.ssGaps.last = t;
        self.ssGaps.ticks++;
      }, 20);
    });
    before = await choose('.ss-files', signed);
    await page.waitForFunction(() => !document.querySelector('.ss-progress').hidden || document.querySelectorAll('.ss-report').length > 0);
    const progressSeen = await page.evaluate(() => !document.querySelector('.ss-progress').hidden);
    await page.screenshot({ path: join(shots, 'large-input-progress.png') });
    rep = await waitReport('big-50mib.p7m', before);
    const gaps = await page.evaluate(() => { clearInterval(self.ssTimer); return self.ssGaps; });
    const ms = await rep.getAttribute('data-ms');
    check(progressSeen, 'progress shown while a 50 MiB input is read and inspected');
    check(gaps.max < 1500, `the page stays responsive: longest main-thread gap ${Math.round(gaps.max)} ms over ${gaps.ticks} ticks (${(size / 1048576).toFixed(1)} MiB, ${ms} ms to report)`);
    check(['valid', 'warning'].includes(await rep.getAttribute('data-verdict')), '50 MiB signed message verifies');
  }

  // 12. Dark mode.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.locator('.ss-report:not([hidden])').first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'dark-mode.png') });
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  check(bg !== 'rgb(255, 255, 255)', `dark mode background (${bg})`);

  // 13. The embedding example (ES module package + element).
  const embed = await context.newPage();
  await embed.goto(base + 'embed.html');
  await embed.waitForSelector('body[data-embed-verdict]');
  check(await embed.getAttribute('body', 'data-embed-verdict') === 'warning', 'embed.html: the package API inspects in a dozen lines');
  await embed.waitForSelector('body[data-async-verdict]');
  const workers = await embed.evaluate(() => performance.getEntriesByType('resource').filter((r) => r.name.includes('sealscope-engine')).length);
  check(await embed.getAttribute('body', 'data-async-verdict') === 'warning' && workers <= 1,
    'embed.html: await inspect() from sealscope.mjs runs on the element\'s engine (one engine load)');
  await embed.waitForSelector('sealscope-inspector[data-ready]');
  // A second element on the same page: its own ids, labels, chooser and reports.
  await embed.evaluate(() => document.body.append(document.createElement('sealscope-inspector')));
  await embed.waitForFunction(() => document.querySelectorAll('sealscope-inspector[data-ready]').length === 2);
  const ids = await embed.$$eval('sealscope-inspector .ss-files', (a) => a.map((e) => e.id));
  const second = embed.locator('sealscope-inspector').nth(1);
  const labelFor = await second.locator('label.ss-button').first().getAttribute('for');
  await second.locator('.ss-files').setInputFiles(fx('messages/rsa-sha256.eml'));
  await second.locator('.ss-report[data-verdict]').first().waitFor();
  const firstReports = await embed.locator('sealscope-inspector').nth(0).locator('.ss-report').count();
  check(new Set(ids).size === 2 && labelFor === ids[1] && firstReports === 0,
    `two elements on one page keep ids (${ids.join(', ')}), choosers and reports apart`);
  await embed.close();

  // 14. Opened from disk.
  const disk = await context.newPage();
  await disk.goto('file://' + join(dist, 'index.html'));
  await disk.waitForSelector('sealscope-inspector[data-ready]');
  await disk.setInputFiles('.ss-files', fx('messages/rsa-sha256.eml'));
  await disk.waitForSelector('.ss-report[data-verdict]');
  check(await disk.getAttribute('.ss-report', 'data-verdict') === 'warning', 'from disk: rsa-sha256.eml inspected (warning: no anchors in this tab)');
  await disk.screenshot({ path: join(shots, 'from-disk.png') });
  await disk.close();
  await context.close();
} catch (e) {
  failures++;
  console.error(`FAIL ${e.stack || e}`);
} finally {
  clearTimeout(guard);
  await browser.close();
  server.close();
}
console.log(`browser e2e: ${checks} checks, ${failures} failures; screenshots in target/screenshots/`);
process.exit(failures ? 1 : 0);
