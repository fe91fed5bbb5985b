// The async API as an ES module: `await inspect(bytes, options)` runs in the page's one
// inspection engine, a Web Worker shared with every <sealscope-inspector> element, so the
// engine loads once and the main thread stays free. Load sealscope-engine.js and
// sealscope-inspector.js (classic scripts) before importing this module. Types:
// sealscope.d.mts.
const api = globalThis.Sealscope;
if (!api) {
  throw new Error('sealscope.mjs needs sealscope-engine.js and sealscope-inspector.js loaded first');
}

/** The report for `bytes`, with trust anchors, certificates, CRLs and keys inline in `options`. */
export const inspect = api.inspect;
/** Composes a signed, encrypted or signed-then-encrypted message. */
export const compose = api.compose;
/** The engine's version. */
export const version = api.version;
/** A keyring of its own on the shared engine: add(), entries(), inspect(). */
export const Keyring = api.Keyring;
