/**
 * The benchmarks (bench/) import these modules straight into Node, which strips their types but,
 * unlike Vite, resolves no import without its `.ts` extension: one such import breaks
 * `npm run bench` while the build and every other test still pass (it happened: lib/limits).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const BENCH_IMPORTS = [
  'lib/related/index.ts',
  'lib/topics/index.ts',
  'lib/topics/learned.ts',
  'lib/rules/match.ts',
];

describe('modules the benchmarks import', () => {
  it.each(BENCH_IMPORTS)('%s loads in plain Node', (path) => {
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import('./${path}'); console.log(Object.keys(m).length)`,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(Number(out.trim())).toBeGreaterThan(0);
  });
});
