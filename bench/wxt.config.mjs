// `npm run bench` builds its own copy of the extension (the project's config, a private output
// folder), so a build or test running elsewhere never swaps files under the Chromium it measures.
import config from '../wxt.config.ts';

export default { ...config, outDir: process.env.BENCH_OUT ?? 'bench/.tmp/output' };
