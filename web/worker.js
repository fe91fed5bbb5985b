// The inspection engine's Web Worker body, appended by web/build-engine.mjs to the
// wasm-bindgen glue (global `wasm_bindgen`) and the inlined wasm (SEALSCOPE_WASM_BASE64).
//
// Messages in:  { id, op, ... } with op = classify | addFile | entries | clear | inspect | compose |
//               reportHtml
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
  keyring: null,
  // What went into the keyring, to rebuild it should the module have to be restarted.
  added: [],
  start() {
    if (!this.module) this.module = new WebAssembly.Module(decodeBase64(SEALSCOPE_WASM_BASE64));
    wasm_bindgen.initSync({ module: this.module });
    this.keyring = new wasm_bindgen.Keyring();
    for (const a of this.added) {
      try { this.keyring.addFile(a.bytes, a.name, a.password, a.asTrust); } catch (_) { /* kept out before */ }
    }
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
    const entry = engine.keyring.addFile(msg.bytes, msg.name, msg.password || undefined, !!msg.asTrust);
    engine.added.push({ bytes: msg.bytes, name: msg.name, password: msg.password || undefined, asTrust: !!msg.asTrust });
    return entry;
  },
  entries() {
    return engine.keyring.entries();
  },
  clear() {
    engine.keyring.clear();
    engine.added = [];
    return true;
  },
  inspect(msg) {
    const out = engine.keyring.inspectDetailed(msg.bytes, msg.options || {});
    return out;
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
    if (!engine.keyring) engine.start();
    self.postMessage({ id: msg.id, progress: msg.op === 'inspect' ? 'inspecting' : 'working' });
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
