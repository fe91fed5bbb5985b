// <sealscope-inspector>: the browser inspector as a custom element, and Sealscope.Engine, a
// promise API over the inspection engine running in a Web Worker.
//
// Needs sealscope-engine.js loaded first (it defines SEALSCOPE_ENGINE_SOURCE). Embedding:
//   <link rel="stylesheet" href="sealscope-inspector.css">
//   <script src="sealscope-engine.js"></script>
//   <script src="sealscope-inspector.js"></script>
//   <sealscope-inspector></sealscope-inspector>
(function () {
  'use strict';

  const HEX_WINDOW = 4096; // bytes of a node shown in the hex view at once
  const MAX_RESULTS = 50; // reports kept on the page

  // ---------------------------------------------------------------- engine (Web Worker)

  // How many inspector elements this page has built (their ids are numbered by it).
  let instances = 0;

  class Engine {
    /** The page's one engine: every inspector element and the async API share its worker
     * (and so load the inspection engine once), each with its own keyring. */
    static shared() {
      if (!Engine.instance) Engine.instance = new Engine();
      return Engine.instance;
    }

    constructor() {
      if (typeof self.SEALSCOPE_ENGINE_SOURCE !== 'string') {
        throw new Error('sealscope-engine.js is not loaded');
      }
      const url = URL.createObjectURL(new Blob([self.SEALSCOPE_ENGINE_SOURCE], { type: 'text/javascript' }));
      this.worker = new Worker(url);
      URL.revokeObjectURL(url);
      this.next = 1;
      this.pending = new Map();
      this.ready = new Promise((resolve, reject) => {
        this.worker.addEventListener('error', (e) => {
          const err = new Error(`the inspection engine failed to start: ${e.message || 'worker error'}`);
          reject(err);
          for (const p of this.pending.values()) p.reject(err);
          this.pending.clear();
        });
        this.worker.addEventListener('message', (e) => {
          const m = e.data || {};
          if (m.ready) { resolve(); return; }
          const p = this.pending.get(m.id);
          if (!p) return;
          if (m.progress) { if (p.onProgress) p.onProgress(m.progress); return; }
          this.pending.delete(m.id);
          if (m.ok) p.resolve(m.result); else p.reject(new Error(m.error));
        });
      });
    }

    call(op, payload, onProgress) {
      const id = this.next++;
      return new Promise((resolve, reject) => {
        this.pending.set(id, { resolve, reject, onProgress });
        this.worker.postMessage(Object.assign({ id, op }, payload || {}));
      });
    }

    /** What a file is: message, certificate, ieee1609-certificate, crl, private-key, pkcs12. */
    classify(bytes, name) { return this.call('classify', { bytes, name }); }
    /** Adds a certificate, CRL or key to keyring `ring`. */
    addFile(bytes, name, password, asTrust, ring) { return this.call('addFile', { bytes, name, password, asTrust, ring }); }
    /** The entries of keyring `ring`. */
    entries(ring) { return this.call('entries', { ring }); }
    /** Forgets keyring `ring`. */
    clear(ring) { return this.call('clear', { ring }); }
    /** { report, buffers } for bytes, with keyring `ring` and options (name, at, profile, …). */
    inspect(bytes, options, onProgress, ring) { return this.call('inspect', { bytes, options, ring }, onProgress); }
    /** { report, buffers } with the material inline in the options (trust, certs, crls, keys). */
    inspectInline(bytes, options) { return this.call('inspectInline', { bytes, options }); }
    /** Composes a message (see ComposeOptions in the package's TypeScript declarations). */
    compose(payload, options) { return this.call('compose', { payload, options }); }
    /** The engine's version. */
    version() { return this.call('version'); }
    /** One self-contained HTML document (no script) of reports given as JSON text. */
    reportHtml(json) { return this.call('reportHtml', { json }); }
  }

  // The async API on the page's one engine, off the main thread (web/sealscope.mjs
  // re-exports it as an ES module): await Sealscope.inspect(bytes, options).
  let asyncRings = 1000000;
  self.Sealscope = {
    /** The report for `bytes`, with material inline in `options` (as the package's inspect). */
    async inspect(bytes, options) {
      const e = Engine.shared();
      await e.ready;
      return (await e.inspectInline(bytes, options || {})).report;
    },
    /** Composes a message (as the package's compose). */
    async compose(payload, options) {
      const e = Engine.shared();
      await e.ready;
      return e.compose(payload, options || {});
    },
    /** The engine's version. */
    async version() {
      const e = Engine.shared();
      await e.ready;
      return e.version();
    },
    /** A keyring of its own on the shared engine. */
    Keyring: class {
      constructor() { this.ring = asyncRings++; }
      async add(bytes, name, password, asTrust) {
        const e = Engine.shared(); await e.ready;
        return e.addFile(bytes, name, password, !!asTrust, this.ring);
      }
      async entries() { const e = Engine.shared(); await e.ready; return e.entries(this.ring); }
      async inspect(bytes, options) {
        const e = Engine.shared(); await e.ready;
        return (await e.inspect(bytes, options || {}, null, this.ring)).report;
      }
    },
  };

  // ---------------------------------------------------------------- small DOM helpers

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === undefined || v === null || v === false) continue;
        if (k === 'class') e.className = v;
        else if (k === 'text') e.textContent = v;
        else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
        else e.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  function dl(rows, cls) {
    const d = el('dl', { class: cls || 'ss-fields' });
    for (const [k, v] of rows) {
      if (v === undefined || v === null || v === '') continue;
      d.append(el('dt', { text: k }), el('dd', null, v));
    }
    return d;
  }

  function table(head, rows, cls) {
    const t = el('table', { class: cls || 'ss-table' });
    t.append(el('thead', null, el('tr', null, head.map((h) => el('th', { scope: 'col', text: h })))));
    const b = el('tbody');
    for (const r of rows) b.append(el('tr', null, r.map((c) => el('td', null, c))));
    t.append(b);
    return t;
  }

  function section(title, cls, ...content) {
    return el('section', { class: `ss-section ${cls || ''}` }, el('h3', { text: title }), ...content);
  }

  function badge(word, kind) {
    return el('span', { class: `ss-badge ss-${kind}-${word}`, 'data-value': word, text: word });
  }

  function bytesText(n) {
    if (n < 1024) return `${n} bytes`;
    if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB (${n} bytes)`;
    return `${(n / 1048576).toFixed(1)} MiB (${n} bytes)`;
  }

  function hex2(b) { return b.toString(16).padStart(2, '0'); }

  // ---------------------------------------------------------------- content rendering

  /** Indents well-formed XML; returns null when the text is not XML. */
  function prettyXml(text) {
    if (!/^\s*</.test(text)) return null;
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    if (doc.getElementsByTagName('parsererror').length) return null;
    const out = [];
    const decl = text.match(/^\s*(<\?xml[^>]*\?>)/);
    if (decl) out.push(decl[1]);
    const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const attrs = (n) => Array.from(n.attributes).map((a) => ` ${a.name}="${esc(a.value).replace(/"/g, '&quot;')}"`).join('');
    const walk = (n, depth) => {
      const pad = '  '.repeat(depth);
      if (n.nodeType === Node.TEXT_NODE) {
        const t = n.nodeValue.trim();
        if (t) out.push(pad + esc(t));
        return;
      }
      if (n.nodeType === Node.COMMENT_NODE) { out.push(`${pad}<!--${n.nodeValue}-->`); return; }
      if (n.nodeType === Node.CDATA_SECTION_NODE) { out.push(`${pad}<![CDATA[${n.nodeValue}]]>`); return; }
      if (n.nodeType !== Node.ELEMENT_NODE) return;
      const kids = Array.from(n.childNodes).filter((c) => !(c.nodeType === Node.TEXT_NODE && !c.nodeValue.trim()));
      if (!kids.length) { out.push(`${pad}<${n.nodeName}${attrs(n)}/>`); return; }
      if (kids.length === 1 && kids[0].nodeType === Node.TEXT_NODE) {
        out.push(`${pad}<${n.nodeName}${attrs(n)}>${esc(kids[0].nodeValue.trim())}</${n.nodeName}>`);
        return;
      }
      out.push(`${pad}<${n.nodeName}${attrs(n)}>`);
      for (const k of kids) walk(k, depth + 1);
      out.push(`${pad}</${n.nodeName}>`);
    };
    for (const n of Array.from(doc.childNodes)) walk(n, 0);
    return out.join('\n');
  }

  /** A hex dump of `bytes[start, end)` (at most HEX_WINDOW bytes), marking `[hs, he)`. */
  function hexDump(bytes, start, end, hs, he) {
    const pre = el('pre', { class: 'ss-hex', tabindex: '0' });
    const from = Math.floor(start / 16) * 16;
    const to = Math.min(end, start + HEX_WINDOW, bytes.length);
    for (let row = from; row < to; row += 16) {
      const line = el('span', { class: 'ss-hex-row' });
      line.append(row.toString(16).padStart(8, '0') + '  ');
      let hexRun = '';
      let inMark = false;
      const flushHex = (mark) => {
        if (!hexRun) return;
        line.append(mark ? el('mark', { text: hexRun }) : hexRun);
        hexRun = '';
      };
      let ascii = '';
      for (let i = row; i < row + 16; i++) {
        const inside = i >= hs && i < he;
        if (inside !== inMark) { flushHex(inMark); inMark = inside; }
        if (i < to && i < bytes.length) {
          hexRun += hex2(bytes[i]) + (i % 16 === 7 ? '  ' : ' ');
          const b = bytes[i];
          ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
        } else {
          hexRun += '   ' + (i % 16 === 7 ? ' ' : '');
          ascii += ' ';
        }
      }
      flushHex(inMark);
      line.append(' ' + ascii + '\n');
      pre.append(line);
    }
    return pre;
  }

  // ---------------------------------------------------------------- one report

  function bufferName(report, b) {
    if (b === 0) return 'the input';
    const l = report.layers[b - 1];
    return l ? `the decoded content of layer ${b - 1} (${l.kind})` : `buffer ${b}`;
  }

  function renderTree(report, onSelect) {
    const tree = el('ul', { class: 'ss-tree', role: 'tree', 'aria-label': 'Layers' });
    const items = [];
    const build = (node, level, parentUl) => {
      const hasKids = node.children && node.children.length > 0;
      const label = el('span', { class: 'ss-tree-label' },
        el('span', { class: 'ss-tree-kind', text: node.kind }), ' ', el('span', { class: 'ss-tree-summary', text: node.summary }));
      const li = el('li', {
        role: 'treeitem', 'aria-level': level, 'aria-selected': 'false', tabindex: '-1',
        'aria-expanded': hasKids ? 'true' : null, 'data-layer': node.layer,
      }, label);
      li.ssLayer = node.layer;
      items.push(li);
      parentUl.append(li);
      if (hasKids) {
        const group = el('ul', { role: 'group' });
        li.append(group);
        for (const c of node.children) build(c, level + 1, group);
      }
    };
    if (report.tree) build(report.tree, 1, tree);
    const visible = () => items.filter((li) => {
      for (let p = li.parentElement; p && p !== tree; p = p.parentElement) {
        if (p.getAttribute('role') === 'treeitem' && p.getAttribute('aria-expanded') === 'false') return false;
      }
      return true;
    });
    const select = (li, focus) => {
      for (const i of items) { i.setAttribute('aria-selected', 'false'); i.tabIndex = -1; }
      li.setAttribute('aria-selected', 'true');
      li.tabIndex = 0;
      if (focus) li.focus();
      onSelect(li.ssLayer);
    };
    tree.addEventListener('click', (e) => {
      const li = e.target.closest('[role=treeitem]');
      if (!li || !tree.contains(li)) return;
      if (e.target.closest('.ss-tree-label') && li.hasAttribute('aria-expanded') && li.getAttribute('aria-selected') === 'true') {
        li.setAttribute('aria-expanded', li.getAttribute('aria-expanded') === 'true' ? 'false' : 'true');
      }
      select(li, true);
      e.stopPropagation();
    });
    tree.addEventListener('keydown', (e) => {
      const cur = e.target.closest('[role=treeitem]');
      if (!cur) return;
      const vis = visible();
      const i = vis.indexOf(cur);
      let handled = true;
      switch (e.key) {
        case 'ArrowDown': if (i < vis.length - 1) select(vis[i + 1], true); break;
        case 'ArrowUp': if (i > 0) select(vis[i - 1], true); break;
        case 'Home': select(vis[0], true); break;
        case 'End': select(vis[vis.length - 1], true); break;
        case 'ArrowRight':
          if (cur.getAttribute('aria-expanded') === 'false') cur.setAttribute('aria-expanded', 'true');
          else if (cur.getAttribute('aria-expanded') === 'true' && i < vis.length - 1) select(vis[i + 1], true);
          break;
        case 'ArrowLeft':
          if (cur.getAttribute('aria-expanded') === 'true') cur.setAttribute('aria-expanded', 'false');
          else {
            const parent = cur.parentElement.closest('[role=treeitem]');
            if (parent && tree.contains(parent)) select(parent, true);
          }
          break;
        case 'Enter': case ' ': select(cur, true); break;
        default: handled = false;
      }
      if (handled) e.preventDefault();
    });
    return { tree, items, select };
  }

  function renderSignature(s, i) {
    const signer = s.signer || {};
    const rows = [
      ['Status', badge(s.status, 'sig')],
      ['Reason', noOptionHints(s.reason)],
      ['Signer', el('span', { class: 'ss-dn', 'data-field': 'signer-subject', text: signer.subject || s.sid || s.signer_id })],
      ['Named in the SignerInfo as', s.sid],
      ['Countersigns', s.countersigns ? 'SignerInfo #' + s.countersigns : undefined],
      ['Signer (one-line)', signer.subject_oneline],
      ['Issuer', signer.issuer],
      ['Serial', signer.serial],
      ['Valid from', signer.not_before],
      ['Valid until', signer.not_after],
      ['Key', signer.key],
      ['HashedId8', s.signer_hashed_id8 || signer.hashed_id8],
      ['Found in', s.signer_source],
      ['Digest', s.digest_algorithm],
      ['Signature algorithm', s.signature_algorithm],
      ['Signing time', s.signing_time],
      ['PSID', s.psid !== undefined ? String(s.psid) : null],
      ['Generation time', s.generation_time ? `${s.generation_time} (Time64 ${s.generation_time_us} µs)` : null],
      ['Expiry time', s.expiry_time ? `${s.expiry_time} (Time64 ${s.expiry_time_us} µs)` : null],
    ];
    const chain = s.chain || {};
    const chainBlock = el('div', { class: 'ss-chain' },
      el('h4', null, 'Chain ', badge(chain.status || 'not-checked', 'chain')),
      chain.reason ? el('p', { text: noOptionHints(chain.reason) }) : null,
      chain.anchor ? el('p', null, 'Anchor: ', el('span', { class: 'ss-dn', text: chain.anchor })) : null,
      (chain.certificates && chain.certificates.length)
        ? table(['Subject', 'Issuer', 'Serial', 'Valid', 'Status'], chain.certificates.map((c) => [
          el('span', { class: 'ss-dn', text: c.subject }), el('span', { class: 'ss-dn', text: c.issuer }),
          c.serial, `${c.not_before} – ${c.not_after}`, c.status]))
        : null);
    return el('div', { class: 'ss-signature', 'data-status': s.status },
      el('h4', { text: `Signature ${i + 1}` }), dl(rows), chainBlock);
  }

  function renderEncryption(e, i) {
    // An AuthenticatedData is readable content with a MAC: say whether the MAC held.
    const mac = e.kind === 'authenticated-data';
    const macWord = e.mac_verified === true ? 'mac-verified'
      : e.mac_verified === false ? 'mac-invalid' : 'mac-not-checked';
    return el('div', { class: 'ss-encryption', 'data-decrypted': String(e.decrypted) },
      el('h4', { text: `${mac ? 'Authentication' : 'Encryption'} ${i + 1} (${e.kind})` }),
      dl([
        [mac ? 'MAC algorithm' : 'Content algorithm', e.content_algorithm],
        mac ? ['MAC', badge(macWord, 'dec')]
          : ['Decrypted', badge(e.decrypted ? 'decrypted' : 'not-decrypted', 'dec')],
        ['Reason', noOptionHints(e.reason)],
        [mac ? 'Content size' : 'Decrypted size', e.content_size !== null && e.content_size !== undefined ? bytesText(e.content_size) : null],
        [mac ? 'Content SHA-256' : 'Decrypted SHA-256', e.content_sha256],
      ]),
      table(['Type', 'Key algorithm', 'Names', 'Details', 'Opened with'], e.recipients.map((r) => [
        r.type, r.key_algorithm,
        [r.issuer ? `issuer ${r.issuer}` : '', r.serial ? `serial ${r.serial}` : '', r.ski ? `id ${r.ski}` : ''].filter(Boolean).join(', '),
        r.details, r.matched_key || '—'])));
  }

  const SEVERITY_RANK = { error: 0, warning: 1, info: 2 };
  // Command-line hints in messages ("(add --trust)") are for the terminal; the banner's
  // button says it here.
  const noOptionHints = (text) => (text || '').replace(/ \([^()]*--[a-z][^()]*\)/g, '');

  function renderFindings(findings) {
    if (!findings.length) return el('p', { text: 'No findings.' });
    const ul = el('ul', { class: 'ss-findings' });
    // Most severe first; equals in the order found.
    const sorted = findings.map((f, i) => [f, i])
      .sort((a, b) => (SEVERITY_RANK[a[0].severity] - SEVERITY_RANK[b[0].severity]) || (a[1] - b[1]))
      .map(([f]) => f);
    for (const f of sorted) {
      ul.append(el('li', { class: `ss-finding ss-sev-${f.severity}`, 'data-code': f.code },
        badge(f.severity, 'sev'), ' ', el('code', { class: 'ss-code', text: f.code }), ' ',
        el('span', { text: noOptionHints(f.message) }),
        f.reference ? el('cite', { text: f.reference }) : null));
    }
    return ul;
  }

  function contentBytes(report, buffers, input) {
    // The report names the content's layer (the one a reader is shown).
    const l = report.content ? report.layers[report.content.layer] : null;
    if (!l) return null;
    const buf = l.buffer === 0 ? input : buffers[l.buffer];
    if (!buf || !buf.length) return null;
    return buf.subarray(l.range[0], l.range[1]);
  }

  function renderContent(report, buffers, input) {
    const c = report.content;
    if (!c) return el('p', { text: 'No content was reached.' });
    const parts = [dl([['Media type', c.media_type], ['Size', bytesText(c.size)], ['SHA-256', el('code', { text: c.sha256 })]])];
    if (c.text !== null && c.text !== undefined) {
      const pretty = /xml/.test(c.media_type) || /^\s*<\?xml/.test(c.text) ? prettyXml(c.text) : null;
      if (pretty !== null) parts.push(el('p', { class: 'ss-note', text: 'XML, indented for reading:' }));
      parts.push(el('pre', { class: 'ss-content-text', tabindex: '0', text: pretty !== null ? pretty : c.text }));
      if (c.size > c.text.length) parts.push(el('p', { class: 'ss-note', text: 'The report keeps the first 64 KiB of text.' }));
    } else {
      const bytes = contentBytes(report, buffers, input);
      if (bytes) {
        parts.push(el('p', { class: 'ss-note', text: bytes.length > HEX_WINDOW ? `Binary; the first ${HEX_WINDOW} bytes:` : 'Binary:' }));
        parts.push(hexDump(bytes, 0, bytes.length, 0, 0));
      } else if (c.hex) {
        const raw = new Uint8Array(c.hex.match(/../g).map((h) => parseInt(h, 16)));
        parts.push(el('p', { class: 'ss-note', text: `Binary; the first ${raw.length} bytes:` }), hexDump(raw, 0, raw.length, 0, 0));
      }
    }
    return el('div', { class: 'ss-content' }, parts);
  }

  /** As the core's ProfileReport::standing: conforms, not-checked (only warnings, such as
   * unopened encryption, kept the rules from being checked) or does-not-conform (an error). */
  function profileStanding(p) {
    if (p.conforms) return 'conforms';
    return p.findings.some((f) => f.severity === 'error') ? 'does-not-conform' : 'not-checked';
  }

  function renderProfiles(profiles) {
    return profiles.map((p) => el('div', { class: 'ss-profile', 'data-profile': p.name },
      el('h4', null, `${p.name} `, badge(profileStanding(p), 'prof')),
      p.details && p.details.length ? dl(p.details) : null,
      renderFindings(p.findings)));
  }

  function renderReport(report, buffers, input) {
    const art = el('article', { class: 'ss-report', 'data-verdict': report.verdict, tabindex: '-1' });
    const title = el('h2', null, el('span', { class: 'ss-name', text: report.input.name }), ' ', badge(report.verdict, 'verdict'));
    art.append(title);
    // The answer first: the decisive reason, signer and chain in words, the next step.
    const headline = report.headline || {};
    if (headline.sentence) {
      const action = headline.action;
      art.append(el('div', { class: `ss-banner ss-banner-${report.verdict}`, role: 'status', 'data-decisive': headline.decisive || '' },
        el('p', { class: 'ss-banner-text', text: headline.sentence }),
        action && action.kind !== 'add-content-key'
          ? el('button', { type: 'button', class: 'ss-banner-action', 'data-action': action.kind, text: action.label,
            onclick: (e) => e.target.dispatchEvent(new CustomEvent('sealscope-action', { bubbles: true, detail: { kind: action.kind } })) })
          : (action ? el('p', { class: 'ss-note', text: `Next: ${action.label}` }) : null)));
    }
    if (report.error) art.append(el('p', { class: 'ss-error', role: 'alert', text: report.error }));
    art.append(dl([
      ['Size', bytesText(report.input.size)],
      ['SHA-256', el('code', { text: report.input.sha256 })],
      ['Verified at', report.verification_time],
      ['Signatures', String(report.signatures.length)],
      ['Encryption layers', String(report.encryption.length)],
    ], 'ss-fields ss-summary'));

    // Structure: tree, the selected layer's fields, its bytes.
    const details = el('div', { class: 'ss-node', 'aria-live': 'polite' });
    // Headers and bytes are folded until asked for, so that the answer, the signatures and
    // the findings come first; once opened they stay open from layer to layer.
    const fold = { headers: false, hex: false };
    const folded = (key, label, body) => {
      const d = el('details', { class: `ss-fold ss-fold-${key}` }, el('summary', { text: label }), body);
      d.open = fold[key];
      d.addEventListener('toggle', () => { fold[key] = d.open; });
      return d;
    };
    const hex = el('div', { class: 'ss-hexview' });
    const hexFold = folded('hex', 'Bytes (hex)', hex);
    const showLayer = (i) => {
      const l = report.layers[i];
      // replaceChildren would write a null argument as the text "null": leave it out.
      details.replaceChildren(...[
        el('h4', null, el('span', { class: 'ss-tree-kind', text: l.kind }), ' ', l.summary),
        dl([['Bytes', `${l.range[0]}–${l.range[1]} of ${bufferName(report, l.buffer)}`],
          ['Content type', l.content_type ? l.content_type.media_type : null]]),
        l.headers.length ? folded('headers', `Headers and fields (${l.headers.length})`,
          table(['Header / field', 'Value'], l.headers.map(([k, v]) => [k, el('span', { class: 'ss-value', text: v })]), 'ss-table ss-headers')) : null,
      ].filter(Boolean));
      const buf = l.buffer === 0 ? input : buffers[l.buffer];
      if (!buf || !buf.length) {
        hex.replaceChildren(el('p', { class: 'ss-note', text: 'The bytes of this layer are not available.' }));
        return;
      }
      const [s, e] = l.range;
      const note = e - s > HEX_WINDOW ? ` (showing the first ${HEX_WINDOW} of ${e - s} bytes)` : '';
      hex.replaceChildren(el('p', { class: 'ss-note', text: `Bytes ${s}–${e} of ${bufferName(report, l.buffer)}, highlighted${note}:` }),
        hexDump(buf, s, e, s, e));
    };
    if (report.tree) {
      const { tree, items, select } = renderTree(report, showLayer);
      art.append(section('Structure', 'ss-structure', el('div', { class: 'ss-structure-grid' }, tree, el('div', null, details, hexFold))));
      if (items.length) select(items[0], false);
    }
    if (report.signatures.length) art.append(section('Signatures', 'ss-signatures', report.signatures.map(renderSignature)));
    if (report.encryption.length) art.append(section('Encryption', 'ss-encryptions', report.encryption.map(renderEncryption)));
    art.append(section('Content', 'ss-content-section', renderContent(report, buffers, input)));
    if (report.profiles.length) art.append(section('Profiles', 'ss-profiles', renderProfiles(report.profiles)));
    art.append(section('Findings', 'ss-findings-section', renderFindings(report.findings)));
    return art;
  }

  // ---------------------------------------------------------------- the element

  function readFile(file, onProgress) {
    return new Promise((resolve, reject) => {
      const r = new FileReader();
      r.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded, e.total); };
      r.onload = () => resolve(new Uint8Array(r.result));
      r.onerror = () => reject(new Error(`cannot read ${file.name}: ${r.error && r.error.message}`));
      r.readAsArrayBuffer(file);
    });
  }

  /**
   * A detached signature (.p7s, .sig) dropped with the content it signs is inspected over that
   * content: the partner is the file named like the signature without its extension, or the
   * only other file of the drop. The partner is then not inspected on its own.
   */
  function pairDetached(messages) {
    for (const sig of messages.slice()) {
      if (!/\.(p7s|sig)$/i.test(sig.name) || sig.content) continue;
      const stem = sig.name.replace(/\.(p7s|sig)$/i, '');
      const others = messages.filter((m) => m !== sig && !/\.(p7s|sig)$/i.test(m.name));
      const partner = others.find((m) => m.name === stem) || (others.length === 1 && messages.length === 2 ? others[0] : null);
      if (!partner) continue;
      sig.content = partner.bytes;
      sig.contentName = partner.name;
      messages.splice(messages.indexOf(partner), 1);
    }
  }

  function utcInputValue(date) {
    return date.toISOString().slice(0, 19);
  }

  class SealscopeInspector extends HTMLElement {
    connectedCallback() {
      if (this.ssBuilt) return;
      this.ssBuilt = true;
      this.messages = []; // { name, bytes } inspected so far, newest last
      this.reports = []; // reports shown, in the same order
      this.pendingKeys = []; // files waiting for a password
      try {
        this.engine = Engine.shared();
      } catch (e) {
        this.append(el('p', { class: 'ss-error', role: 'alert', text: e.message }));
        return;
      }
      this.build();
      this.engine.ready.then(() => this.engine.version()).then((v) => {
        this.status(`Ready (sealscope ${v}). Drop files or choose them.`);
        this.setAttribute('data-ready', '');
        this.dispatchEvent(new CustomEvent('sealscope-ready', { bubbles: true }));
      }, (e) => this.status(e.message, true));
    }

    build() {
      // Ids are per element, so that several inspectors on one page keep their labels and
      // file choosers apart: ss-files-1, ss-files-2, …
      instances += 1;
      // Its own keyring on the page's shared engine.
      this.ring = instances;
      const id = (name) => `${name}-${instances}`;
      this.uid = id;
      const fileInput = el('input', { type: 'file', multiple: true, class: 'ss-files', id: id('ss-files') });
      const trustInput = el('input', { type: 'file', multiple: true, class: 'ss-trust-files', id: id('ss-trust-files') });
      // Certificates, CRLs and keys a report banner asks for (routed by what they hold).
      const materialInput = el('input', { type: 'file', multiple: true, class: 'ss-material-files', id: id('ss-material-files'), hidden: true, 'aria-label': 'Add certificates, CRLs or keys' });
      this.atInput = el('input', { type: 'datetime-local', step: '1', class: 'ss-at', id: id('ss-at') });
      this.atInput.value = utcInputValue(new Date());
      this.profileSelect = el('select', { class: 'ss-profile-select', id: id('ss-profile') },
        ['', 'emi', 'ssm', 'bitrepo', 'scmp'].map((p) => el('option', { value: p, text: p || 'detect' })));
      this.exportButton = el('button', { type: 'button', class: 'ss-export', disabled: true, text: 'Export JSON' });
      this.htmlButton = el('button', { type: 'button', class: 'ss-save-html', disabled: true, text: 'Save report (HTML)' });
      const again = el('button', { type: 'button', class: 'ss-again', text: 'Inspect again' });
      const now = el('button', { type: 'button', class: 'ss-now', text: 'Now' });
      const clearResults = el('button', { type: 'button', class: 'ss-clear-results', text: 'Clear reports' });
      this.progress = el('progress', { class: 'ss-progress', hidden: true, max: '100' });
      this.statusText = el('span', { class: 'ss-status-text' });
      this.keyList = el('ul', { class: 'ss-keyring-list', 'aria-label': 'Keyring entries' });
      this.passwordForm = el('form', { class: 'ss-password', hidden: true });
      this.results = el('div', { class: 'ss-results' });
      // The overview: every inspected message with its verdict; one report shown at a time.
      this.list = el('ol', { class: 'ss-message-list', role: 'listbox', 'aria-label': 'Inspected messages', tabindex: '0' });
      this.list.addEventListener('keydown', (e) => {
        if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
        e.preventDefault();
        const items = Array.from(this.list.children);
        const at = items.findIndex((li) => li.getAttribute('aria-selected') === 'true');
        const next = items[Math.max(0, Math.min(items.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)))];
        if (next) this.show(next);
      });

      const drop = el('div', { class: 'ss-drop', 'data-zone': 'messages' },
        el('p', { class: 'ss-drop-title', text: 'Drop messages, certificates, CRLs and keys here' }),
        el('p', { class: 'ss-note', text: '.eml, .p7m, .p7s, .der, .pem, STOMP frames, HTTP captures, IEEE 1609.2 APDUs — several at once' }),
        el('label', { for: id('ss-files'), class: 'ss-button' }, 'Choose files…'), fileInput);
      const keyring = el('div', { class: 'ss-keyring ss-drop', 'data-zone': 'trust' },
        el('h2', { text: 'Keyring' }),
        el('p', { class: 'ss-note ss-memory-note', text: 'Certificates, CRLs and keys you add stay in this tab\u2019s memory only: they are not stored or sent anywhere, and are gone when you close or reload the tab.' }),
        el('p', null, el('label', { for: id('ss-trust-files'), class: 'ss-button' }, 'Add trust anchors…'), trustInput,
          el('span', { class: 'ss-note', text: ' or drop CA certificates on this box to trust them.' })),
        materialInput, this.keyList, this.passwordForm,
        el('button', { type: 'button', class: 'ss-forget', text: 'Forget all', onclick: () => this.forget() }));
      const options = el('div', { class: 'ss-options' },
        el('label', { for: id('ss-at') }, 'Verification time (UTC) '), this.atInput, now,
        el('label', { for: id('ss-profile') }, ' Profile '), this.profileSelect,
        again, this.exportButton, this.htmlButton, clearResults);
      const statusLine = el('div', { class: 'ss-status', role: 'status', 'aria-live': 'polite' }, this.progress, this.statusText);
      this.append(el('div', { class: 'ss-app' },
        el('div', { class: 'ss-inputs' }, drop, keyring), options, statusLine,
        el('div', { class: 'ss-workspace' }, this.list, this.results)));

      fileInput.addEventListener('change', () => { this.handleFiles(Array.from(fileInput.files), false); fileInput.value = ''; });
      materialInput.addEventListener('change', () => { this.handleFiles(Array.from(materialInput.files), false); materialInput.value = ''; });
      trustInput.addEventListener('change', () => { this.handleFiles(Array.from(trustInput.files), true); trustInput.value = ''; });
      // A new verification time or profile changes every verdict: inspect again, one run
      // after another (the keyring does the same when material is added).
      const again_ = () => { if (this.messages && this.messages.length) this.reinspectSoon(); };
      this.atInput.addEventListener('change', again_);
      this.profileSelect.addEventListener('change', again_);
      now.addEventListener('click', () => { this.atInput.value = utcInputValue(new Date()); again_(); });
      again.addEventListener('click', () => this.reinspectSoon());
      // A report banner's button: the file chooser for the keyring input it asks for.
      this.addEventListener('sealscope-action', (e) => {
        if (e.detail && e.detail.kind === 'add-trust-anchor') trustInput.click();
        else materialInput.click();
      });
      clearResults.addEventListener('click', () => { this.messages = []; this.reports = []; this.results.replaceChildren(); this.list.replaceChildren(); this.exportButton.disabled = true; this.htmlButton.disabled = true; });
      this.exportButton.addEventListener('click', () => this.exportJson());
      this.htmlButton.addEventListener('click', () => this.saveHtml());
      for (const zone of [drop, keyring]) {
        zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('ss-dragging'); });
        zone.addEventListener('dragleave', () => zone.classList.remove('ss-dragging'));
        zone.addEventListener('drop', (e) => {
          e.preventDefault();
          e.stopPropagation();
          zone.classList.remove('ss-dragging');
          const files = Array.from((e.dataTransfer && e.dataTransfer.files) || []);
          this.handleFiles(files, zone.dataset.zone === 'trust');
        });
      }
      // A drop elsewhere on the element goes to the message zone rather than opening the file.
      this.addEventListener('dragover', (e) => e.preventDefault());
      this.addEventListener('drop', (e) => {
        e.preventDefault();
        this.handleFiles(Array.from((e.dataTransfer && e.dataTransfer.files) || []), false);
      });
    }

    status(text, isError) {
      this.statusText.textContent = text;
      this.statusText.classList.toggle('ss-status-error', !!isError);
    }

    options(name) {
      const o = { name };
      const v = this.atInput.value;
      if (v) o.at = `${v.length === 16 ? v + ':00' : v}Z`;
      if (this.profileSelect.value) o.profile = this.profileSelect.value;
      return o;
    }

    async handleFiles(files, asTrust) {
      if (!files.length) return;
      await this.engine.ready;
      const loaded = [];
      let done = 0;
      const total = files.reduce((n, f) => n + f.size, 0) || 1;
      this.progress.hidden = false;
      for (const f of files) {
        this.status(`Reading ${f.name}…`);
        const bytes = await readFile(f, (loadedBytes) => { this.progress.value = Math.round(100 * (done + loadedBytes) / total); });
        done += f.size;
        loaded.push({ name: f.name, bytes });
      }
      // Keyring material first, whatever the order of the drop, then the messages.
      const messages = [];
      for (const f of loaded) {
        let kind;
        try { kind = await this.engine.classify(f.bytes, f.name); } catch (e) { kind = 'message'; }
        if (kind === 'message' && !asTrust) messages.push(f);
        else await this.addMaterial(f, asTrust, undefined);
      }
      pairDetached(messages);
      // New keyring material changes the answers already shown: inspect them again first.
      const addedMaterial = loaded.length > messages.length;
      if (addedMaterial && this.messages && this.messages.length) await this.reinspectSoon();
      for (let i = 0; i < messages.length; i++) {
        await this.inspectOne(messages[i], `${i + 1} of ${messages.length}`);
      }
      this.progress.hidden = true;
      if (messages.length) this.status(`Inspected ${messages.length} file(s).`);
    }

    async addMaterial(f, asTrust, password) {
      try {
        const entry = await this.engine.addFile(f.bytes, f.name, password, asTrust, this.ring);
        this.showEntry(entry);
        this.status(`Added ${f.name} to the keyring (${entry.kind}).`);
        return true;
      } catch (e) {
        if (/password|encrypted|MAC/i.test(e.message)) {
          this.askPassword(f, asTrust, password === undefined ? null : e.message);
        } else {
          this.status(`${f.name}: ${e.message}`, true);
        }
        return false;
      }
    }

    askPassword(f, asTrust, previousError) {
      const input = el('input', { type: 'password', id: this.uid('ss-password-input'), autocomplete: 'off', class: 'ss-password-input' });
      this.passwordForm.replaceChildren(
        el('label', { for: this.uid('ss-password-input') }, `Password for ${f.name} `), input,
        el('button', { type: 'submit', text: 'Open' }),
        el('button', { type: 'button', text: 'Skip', onclick: () => { this.passwordForm.hidden = true; } }),
        previousError ? el('p', { class: 'ss-error', text: previousError }) : null);
      this.passwordForm.hidden = false;
      this.passwordForm.onsubmit = async (e) => {
        e.preventDefault();
        const ok = await this.addMaterial(f, asTrust, input.value);
        if (ok) { this.passwordForm.hidden = true; this.reinspectSoon(); }
      };
      input.focus();
      this.status(`${f.name} needs its password.`);
    }

    showEntry(entry) {
      this.keyList.append(el('li', { class: 'ss-key-entry', 'data-kind': entry.kind },
        el('strong', { text: entry.kind }), ' ', entry.name,
        entry.description.length ? el('ul', null, entry.description.map((d) => el('li', { text: d }))) : null));
    }

    async forget() {
      await this.engine.clear(this.ring);
      this.keyList.replaceChildren();
      this.status('The keyring is empty.');
    }

    async inspectOne(f, counter) {
      this.status(`Inspecting ${f.name} (${counter})…`);
      const started = performance.now();
      let out;
      try {
        // The bytes are copied to the worker; the page keeps its own for the hex view.
        const options = this.options(f.name);
        if (f.content) options.content = f.content;
        out = await this.engine.inspect(f.bytes, options, () => {
          this.progress.removeAttribute('value');
          this.status(`Verifying and decrypting ${f.name} (${counter})…`);
        }, this.ring);
      } catch (e) {
        this.status(`${f.name}: ${e.message}`, true);
        return;
      }
      const art = renderReport(out.report, out.buffers, f.bytes);
      if (f.contentName) {
        art.querySelector('h2').after(el('p', { class: 'ss-note ss-detached-content', text: `Detached signature, checked over the content of ${f.contentName}.` }));
      }
      art.dataset.ms = String(Math.round(performance.now() - started));
      this.messages.push(f);
      this.reports.push(out.report);
      // One event per report, for the page that embeds the element.
      this.dispatchEvent(new CustomEvent('sealscope-report', { bubbles: true, detail: { name: f.name, report: out.report } }));
      while (this.messages.length > MAX_RESULTS) { this.messages.shift(); this.reports.shift(); }
      this.results.append(art);
      const item = el('li', { role: 'option', class: 'ss-message-item', 'data-verdict': out.report.verdict, title: out.report.headline ? out.report.headline.sentence : '' },
        badge(out.report.verdict, 'verdict'), ' ', el('span', { class: 'ss-message-name', text: out.report.input.name }));
      item.report = art;
      item.addEventListener('click', () => this.show(item));
      this.list.append(item);
      while (this.results.children.length > MAX_RESULTS) this.results.firstElementChild.remove();
      while (this.list.children.length > MAX_RESULTS) this.list.firstElementChild.remove();
      this.show(item);
      this.exportButton.disabled = false;
      this.htmlButton.disabled = false;
    }

    /** Shows the report of one list item and hides the others. */
    show(item) {
      for (const li of this.list.children) {
        const on = li === item;
        li.setAttribute('aria-selected', on ? 'true' : 'false');
        if (li.report) li.report.hidden = !on;
      }
    }

    /** Queues an inspection of every message again after any that is running. */
    reinspectSoon() {
      this.reinspecting = (this.reinspecting || Promise.resolve()).then(() => this.reinspect());
      return this.reinspecting;
    }

    async reinspect() {
      const list = this.messages.slice();
      if (!list.length) return;
      // Keep the selected message selected when its new report comes back.
      const items = Array.from(this.list.children);
      const keep = items.findIndex((li) => li.getAttribute('aria-selected') === 'true');
      this.messages = [];
      this.reports = [];
      this.results.replaceChildren();
      this.list.replaceChildren();
      this.progress.hidden = false;
      for (let i = 0; i < list.length; i++) await this.inspectOne(list[i], `${i + 1} of ${list.length}`);
      if (keep >= 0 && this.list.children[keep]) this.show(this.list.children[keep]);
      this.progress.hidden = true;
      this.status(`Inspected ${list.length} file(s) again.`);
    }

    async saveHtml() {
      try {
        const html = await this.engine.reportHtml(JSON.stringify(this.reports));
        const blob = new Blob([html], { type: 'text/html' });
        const a = el('a', { href: URL.createObjectURL(blob), download: this.reports.length === 1 ? `${this.reports[0].input.name}.report.html` : 'sealscope-reports.html' });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(a.href), 10000);
      } catch (e) {
        this.status(`Cannot save the report: ${e.message}`, true);
      }
    }

    exportJson() {
      const data = this.reports.length === 1 ? this.reports[0] : this.reports;
      const blob = new Blob([JSON.stringify(data, null, 2) + '\n'], { type: 'application/json' });
      const a = el('a', { href: URL.createObjectURL(blob), download: this.reports.length === 1 ? `${this.reports[0].input.name}.report.json` : 'sealscope-reports.json' });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    }
  }

  self.Sealscope = Object.assign(self.Sealscope || {}, { Engine, renderReport });
  if (!customElements.get('sealscope-inspector')) customElements.define('sealscope-inspector', SealscopeInspector);
})();
