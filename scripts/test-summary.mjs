// Prints one closing line for the whole test run, "N passed, N failed" (plus skipped), from the
// JSON reports of Vitest (reports/vitest.json) and Playwright (reports/playwright.json).
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
const read = (f) => (existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : null);

const v = read('reports/vitest.json');
if (v) {
  passed += v.numPassedTests ?? 0;
  failed += v.numFailedTests ?? 0;
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
}
const p = read('reports/playwright.json');
if (p?.stats) {
  passed += (p.stats.expected ?? 0) + (p.stats.flaky ?? 0);
  failed += p.stats.unexpected ?? 0;
  skipped += p.stats.skipped ?? 0;
}
console.log(`unit: ${v ? 'ran' : 'missing'}, e2e: ${p ? 'ran' : 'missing'}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
