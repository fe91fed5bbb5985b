// Types of the async API (sealscope.mjs) and of the <sealscope-inspector> element
// (sealscope-inspector.js). The report types are the package's (pkg/sealscope-wasm.d.ts).
import type { Report, InspectOptions, ComposeOptions, KeyringEntry } from './pkg/sealscope-wasm.js';

/** The report for `bytes`, with the material inline in `options`; runs in the shared worker. */
export function inspect(bytes: Uint8Array, options?: InspectOptions): Promise<Report>;
/** Composes a message in the shared worker. */
export function compose(payload: Uint8Array, options: ComposeOptions): Promise<Uint8Array>;
/** The engine's version. */
export function version(): Promise<string>;
/** A keyring of its own on the shared engine. */
export class Keyring {
  /** Adds a certificate, CRL, key or PKCS#12 (with its password); `asTrust` makes certificates anchors. */
  add(bytes: Uint8Array, name: string, password?: string, asTrust?: boolean): Promise<KeyringEntry>;
  /** What the keyring holds. */
  entries(): Promise<KeyringEntry[]>;
  /** The report for `bytes` with this keyring and `options` (name, at, profile, …). */
  inspect(bytes: Uint8Array, options?: InspectOptions): Promise<Report>;
}

/** `detail` of the element's `sealscope-report` event: one per report. */
export interface SealscopeReportDetail {
  /** The input's file name. */
  name: string;
  /** The report. */
  report: Report;
}

/** `detail` of the `sealscope-action` event a report banner's button fires. */
export interface SealscopeActionDetail {
  /** The next step: add-trust-anchor, add-certificate, add-crl, add-key, add-content-key. */
  kind: string;
}

/** The <sealscope-inspector> element: a drop zone, a keyring of its own and the reports. */
export interface SealscopeInspectorElement extends HTMLElement {
  /** Present once the engine has started. */
  readonly dataset: DOMStringMap & { ready?: string };
  /** Inspects every message again (after any run still going). */
  reinspectSoon(): Promise<void>;
}

declare global {
  interface HTMLElementTagNameMap {
    'sealscope-inspector': SealscopeInspectorElement;
  }
  interface HTMLElementEventMap {
    /** The element's engine has started. */
    'sealscope-ready': CustomEvent<void>;
    /** A report was made (also after inspecting again). */
    'sealscope-report': CustomEvent<SealscopeReportDetail>;
    /** A report banner's button asks for the next step. */
    'sealscope-action': CustomEvent<SealscopeActionDetail>;
  }
}
