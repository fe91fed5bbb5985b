// The package's ES module API in a dozen lines (served over HTTP: modules do not load from disk).
import init, { inspect, version } from './pkg/sealscope-wasm.js';

await init({ module_or_path: new URL('./pkg/sealscope-wasm_bg.wasm', import.meta.url) });
const demo = new TextEncoder().encode('Content-Type: text/plain\r\n\r\nnot signed\r\n');
const report = inspect(demo, { name: 'demo.eml', at: new Date() });
console.log(`sealscope ${version()}: ${report.input.name} is ${report.verdict}`,
  report.findings.map((f) => f.code));
document.body.dataset.embedVerdict = report.verdict;

// 3. The async API on the same engine as the element: off the main thread, no second load.
const asyncApi = await import('./sealscope.mjs');
const again = await asyncApi.inspect(demo, { name: 'demo.eml', at: new Date() });
document.body.dataset.asyncVerdict = again.verdict;
