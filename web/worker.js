// The inspection engine's Web Worker body, appended by web/build-engine.mjs to the
// wasm-bindgen glue (global `wasm_bindgen`) and the inlined wasm (SEALSCOPE_WASM_BASE64).
//
// Messages in:  { id, op, ring?, ... } with op = classify | addFile | entries | clear | inspect |
//               inspectInline | compose | reportHtml. `ring` names the keyring (each inspector
//               element on a page has its own; the page's async API uses its own too), so one
//               engine serves them all.
// Messages out: { id, progress } while working, then { id, ok: true, result } or
//               { id, ok: false, error } (the core's one-line reason).
'use strict';

function decodeBase64(text) {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

const engine = {
  module: null,
  // Keyrings by ring id, and what went into each (to rebuild them should the module have to
  // be restarted).
  rings: new Map(),
  added: new Map(),
  started: false,
  start() {
    if (!this.module) this.module = new WebAssembly.Module(decodeBase64(SEALSCOPE_WASM_BASE64));
    wasm_bindgen.initSync({ module: this.module });
    this.started = true;
    this.rings = new Map();
    for (const [ring, list] of this.added) {
      const k = this.ring(ring);
      for (const a of list) {
        try { k.addFile(a.bytes, a.name, a.password, a.asTrust); } catch (_) { /* kept out before */ }
      }
    }
  },
  ring(id) {
    const key = id === undefined ? 0 : id;
    if (!this.rings.has(key)) this.rings.set(key, new wasm_bindgen.Keyring());
    return this.rings.get(key);
  },
};

function errorText(e) {
  if (e instanceof WebAssembly.RuntimeError) {
    return `internal error in the inspection engine (${e.message}); the engine was restarted`;
  }
  return (e && e.message) ? e.message : String(e);
}

const ops = {
  version() {
    return wasm_bindgen.version();
  },
  classify(msg) {
    return wasm_bindgen.classify(msg.bytes, msg.name);
  },
  addFile(msg) {
    const entry = engine.ring(msg.ring).addFile(msg.bytes, msg.name, msg.password || undefined, !!msg.asTrust);
    const key = msg.ring === undefined ? 0 : msg.ring;
    if (!engine.added.has(key)) engine.added.set(key, []);
    engine.added.get(key).push({ bytes: msg.bytes, name: msg.name, password: msg.password || undefined, asTrust: !!msg.asTrust });
    return entry;
  },
  entries(msg) {
    return engine.ring(msg.ring).entries();
  },
  clear(msg) {
    engine.ring(msg.ring).clear();
    engine.added.delete(msg.ring === undefined ? 0 : msg.ring);
    return true;
  },
  inspect(msg) {
    return engine.ring(msg.ring).inspectDetailed(msg.bytes, msg.options || {});
  },
  // With the material given inline in the options (trust, certs, crls, keys …), no keyring.
  inspectInline(msg) {
    return wasm_bindgen.inspectDetailed(msg.bytes, msg.options || {});
  },
  compose(msg) {
    return wasm_bindgen.compose(msg.payload, msg.options || {});
  },
  reportHtml(msg) {
    return wasm_bindgen.reportHtml(msg.json);
  },
};

self.onmessage = (event) => {
  const msg = event.data || {};
  const op = ops[msg.op];
  if (!op) {
    self.postMessage({ id: msg.id, ok: false, error: `unknown operation ${msg.op}` });
    return;
  }
  try {
    if (!engine.started) engine.start();
    self.postMessage({ id: msg.id, progress: msg.op.startsWith('inspect') ? 'inspecting' : 'working' });
    const result = op(msg);
    const transfer = [];
    if (result && Array.isArray(result.buffers)) {
      for (const b of result.buffers) transfer.push(b.buffer);
    }
    self.postMessage({ id: msg.id, ok: true, result }, transfer);
  } catch (e) {
    const error = errorText(e);
    if (e instanceof WebAssembly.RuntimeError) {
      try { engine.start(); } catch (_) { /* reported on the next call */ }
    }
    self.postMessage({ id: msg.id, ok: false, error });
  }
};

self.postMessage({ ready: true });
