/** Markdown summary of bench/results/related.json (written by run.mjs). */

const f3 = (x) => (x === undefined || x === null || Number.isNaN(x) ? '—' : x.toFixed(3));
const f1 = (x) => (x === undefined || x === null ? '—' : x.toFixed(1));
const ms = (x) => (x === undefined ? '—' : x < 10 ? x.toFixed(2) : x.toFixed(0));
const mb = (x) => (x === undefined ? '—' : x.toFixed(1));

export function writeReport(r) {
  const L = [];
  const m = r.arxiv.methods;
  const order = ['ours', 'asl', 'unigram', 'oursSparse', 'oursDense'].filter((k) => m[k]);
  const name = {
    ours: '**Paper Scout**',
    asl: 'arxiv-sanity-lite (SVM)',
    unigram: 'unigram TF-IDF cosine',
    oursSparse: 'ours, sparse half only',
    oursDense: 'ours, LSA half only',
  };
  L.push('# Related papers: quality and speed');
  L.push('');
  L.push(
    `Measured ${r.date.slice(0, 10)} by \`node --expose-gc bench/related/run.mjs\` on ${r.machine.cpu} ` +
      `(${r.machine.cores} cores, ${r.machine.memGiB} GiB, shared with other jobs: load average ` +
      `${r.machine.loadAvgAtStart.map((x) => x.toFixed(1)).join(' / ')} at the start), Node ${r.machine.node} ` +
      `(V8 ${r.machine.v8}, the engine of Chrome's extension service worker).` +
      (r.baselines ? ` Baselines: Debian python3-sklearn ${r.baselines.sklearn}.` : ''),
  );
  L.push('');
  L.push('## arXiv category proxy (EVAL_PROTOCOL §1)');
  L.push('');
  L.push(
    `74,728 papers; ${r.arxiv.random.queries} test queries (smallest sha1(id)); the query is never its own neighbour. ` +
      "Micro averages over queries, macro over the queries' primary categories.",
  );
  L.push('');
  L.push(
    '| method | P@10 same-primary | P@10 any-shared | nDCG@10 | P@5 same | nDCG@5 | macro P@10 same | macro nDCG@10 | queries |',
  );
  L.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const row = (label, x) =>
    L.push(
      `| ${label} | ${f3(x.micro['same@10'])} | ${f3(x.micro['any@10'])} | ${f3(x.micro['ndcg@10'])} | ` +
        `${f3(x.micro['same@5'])} | ${f3(x.micro['ndcg@5'])} | ${f3(x.macro['same@10'])} | ${f3(x.macro['ndcg@10'])} | ${x.queries} |`,
    );
  for (const k of order) row(name[k], m[k]);
  row('random (expected)', r.arxiv.random);
  if (r.arxiv.sameQueriesAsSvm) {
    const s = r.arxiv.sameQueriesAsSvm;
    L.push('');
    L.push(
      `On the ${s.queries} queries the SVM ran on: ours ${f3(s.ours.micro['same@10'])}, unigram ${f3(s.unigram.micro['same@10'])} P@10 same-primary.`,
    );
  }
  L.push('');
  L.push('## CSFCube (EVAL_PROTOCOL §2)');
  L.push('');
  L.push(
    'Each pool re-ranked by similarity to the query paper. The idf of every method is fitted on the 4,205 CSFCube papers; ' +
      'our LSA model on those papers alone ("CSFCube only") or on CSFCube + the 74,728 arxiv-daily-ml papers (EVAL_PROTOCOL §2 ' +
      'allows both corpora). Upstream metrics; "test" = mean of the fold1_test and fold2_test means; "2-fold tuned": ' +
      "each fold's test half is scored with the configuration best on that fold's dev half.",
  );
  L.push('');
  L.push(
    '| method | MAP all | NDCG%20 all | R-prec all | NDCG@20 all | MAP background | MAP method | MAP result |',
  );
  L.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
  const cm = r.csfcube.methods;
  const cname = {
    oursTuned: '**Paper Scout, LSA from CSFCube + arXiv, 2-fold tuned**',
    oursArxivModel: 'Paper Scout, LSA from CSFCube + arXiv, shipped defaults',
    oursTunedCsfOnly: 'Paper Scout, CSFCube only, 2-fold tuned',
    ours: 'Paper Scout, CSFCube only, shipped defaults',
    asl: 'arxiv-sanity-lite (SVM)',
    unigram: 'unigram TF-IDF cosine',
    oursSparse: 'ours, sparse half only',
  };
  const corder = [
    'oursTuned',
    'oursArxivModel',
    'oursTunedCsfOnly',
    'ours',
    'asl',
    'unigram',
    'oursSparse',
  ];
  for (const k of corder.filter((x) => cm[x])) {
    const x = cm[k];
    L.push(
      `| ${cname[k]} | ${f3(x.all.map)} | ${f3(x.all['ndcg%20'])} | ${f3(x.all.rprec)} | ${f3(x.all['ndcg@20'])} | ` +
        `${f3(x.background.map)} | ${f3(x.method.map)} | ${f3(x.result.map)} |`,
    );
  }
  for (const k of ['oursTuned', 'oursTunedCsfOnly'].filter((x) => cm[x]?.chosen))
    L.push(
      '',
      `${cname[k].replace(/\*/g, '')}: chosen on the dev halves: fold 1 ${JSON.stringify(cm[k].chosen.fold1)}, fold 2 ${JSON.stringify(cm[k].chosen.fold2)}.`,
    );
  L.push('');
  L.push('## Several saved papers (a tag)');
  L.push('');
  const ta = r.tags.arxiv.methods;
  L.push(
    `arXiv: ${Object.values(ta)[0]?.tags ?? 0} tags of 5 papers sharing an exact multi-category set (≥ 40 papers have it); ` +
      `relevant = same set. Random: ${f3(Object.values(ta)[0]?.randomExactSetP10)}.`,
  );
  L.push('');
  L.push('| method | P@10 exact set | mean Jaccard@10 |');
  L.push('| --- | --- | --- |');
  for (const [k, x] of Object.entries(ta))
    L.push(`| ${k} | ${f3(x.exactSetP10)} | ${f3(x.jaccard10)} |`);
  const tc = r.tags.csfcube?.methods ?? {};
  if (Object.keys(tc).length) {
    L.push('');
    L.push(
      `CSFCube: ${Object.values(tc)[0].queries} query-facets with ≥ 4 relevant candidates; the tag = the query + 2 relevant ` +
        'candidates; MAP of the rest of the pool.',
    );
    L.push('');
    L.push('| method | MAP |');
    L.push('| --- | --- |');
    for (const [k, x] of Object.entries(tc)) L.push(`| ${k} | ${f3(x.map)} |`);
  }
  L.push('');
  L.push('## Speed and size (JavaScript, one thread)');
  L.push('');
  const s = r.speed;
  L.push(
    "CPU time is the process's own (process.cpuUsage); wall time includes waiting for the shared CPU.",
  );
  L.push('');
  L.push('| figure | target | CPU | wall |');
  L.push('| --- | --- | --- | --- |');
  L.push(
    `| build from scratch, ${s.build.papers} papers (index + LSA fit) | ≤ 20 s | ${f1(s.build.totalCpuMs / 1000)} s (${f1(s.build.indexCpuMs / 1000)} + ${f1(s.build.fitCpuMs / 1000)}) | ${f1(s.build.totalWallMs / 1000)} s |`,
  );
  L.push(
    `| top-10 for a paper, p50 / p95 | p95 ≤ 50 ms | ${ms(s.paperQuery.cpuMs.p50)} / ${ms(s.paperQuery.cpuMs.p95)} ms | ${ms(s.paperQuery.wallMs.p50)} / ${ms(s.paperQuery.wallMs.p95)} ms |`,
  );
  for (const [agg, t] of Object.entries(s.tagQuery))
    L.push(
      `| top-10 for a tag of 5 (${agg}), p50 / p95 | p95 ≤ 50 ms | ${ms(t.cpuMs.p50)} / ${ms(t.cpuMs.p95)} ms | ${ms(t.wallMs.p50)} / ${ms(t.wallMs.p95)} ms |`,
    );
  if (s.recommend)
    L.push(
      `| "For you": ${s.recommend.savedPapers} saved papers in ${s.recommend.tags} tags, overall + per tag, p50 | — | ${ms(s.recommend.cpuMs.p50)} ms | ${ms(s.recommend.wallMs.p50)} ms |`,
    );
  if (s.ingest) {
    L.push(
      `| add a 50-paper page to ${s.ingest.indexSize} papers, p50 / p95 / max | ≤ 20 ms | ${ms(s.ingest.cpuMs.p50)} / ${ms(s.ingest.cpuMs.p95)} / ${ms(s.ingest.cpuMs.max)} ms | ${ms(s.ingest.wallMs.p50)} / ${ms(s.ingest.wallMs.p95)} / ${ms(s.ingest.wallMs.max)} ms |`,
    );
    L.push(
      `| maintain() after a page (idle upkeep), p50 / p95 / max | — | ${ms(s.ingest.maintainCpuMs.p50)} / ${ms(s.ingest.maintainCpuMs.p95)} / ${ms(s.ingest.maintainCpuMs.max)} ms | |`,
    );
  }
  L.push(
    `| load from stored rows (no text read) | — | ${f1(s.stored.loadFromRowsCpuMs / 1000)} s | ${f1(s.stored.loadFromRowsWallMs / 1000)} s |`,
  );
  if (s.stored.loadFromSnapshotCpuMs !== undefined)
    L.push(
      `| load from the snapshot (one stored object) | — | ${f1(s.stored.loadFromSnapshotCpuMs / 1000)} s | ${f1(s.stored.loadFromSnapshotWallMs / 1000)} s |`,
    );
  L.push('');
  L.push(
    `Memory: ${mb(s.memory.heapUsedMB + s.memory.arrayBuffersMB)} MB after the build (JS heap ${mb(s.memory.heapUsedMB)} + typed arrays ${mb(s.memory.arrayBuffersMB)}; ` +
      `the index's own arrays ${mb(s.memory.indexArraysMB)} MB).`,
  );
  L.push(
    `Stored: ${s.stored.rows} rows, ${mb(s.stored.rowsStructuredCloneMB)} MB as structured clone (what IndexedDB stores; ` +
      `${Math.round(s.stored.bytesPerPaper)} B per paper, ${f1(s.stored.termsPerPaper)} terms each) + meta ${mb(s.stored.metaStructuredCloneMB)} MB ` +
      `(LSA model ${mb(s.stored.modelMB)} MB). Loaded answers identical: ${s.stored.loadedAnswersIdentical}.`,
  );
  if (s.stored.snapshotStructuredCloneMB !== undefined)
    L.push(
      `Snapshot: ${mb(s.stored.snapshotStructuredCloneMB)} MB as structured clone, taken in ${ms(s.stored.snapshotTakeCpuMs)} ms CPU; ` +
        `answers after loading it identical: ${s.stored.snapshotAnswersIdentical}.`,
    );
  if (s.scaling) {
    L.push('');
    L.push('| papers | build CPU | top-10 CPU p50 / p95 | memory | stored |');
    L.push('| --- | --- | --- | --- | --- |');
    for (const x of s.scaling)
      L.push(
        `| ${x.papers} | ${f1(x.buildCpuMs / 1000)} s | ${ms(x.queryCpuMs.p50)} / ${ms(x.queryCpuMs.p95)} ms | ${mb(x.heapMB)} MB | ${mb(x.storedMB)} MB |`,
      );
  }
  if (m.asl?.cpuSecPerQuery)
    L.push(
      '',
      `arxiv-sanity-lite's SVM: ${m.asl.cpuSecPerQuery.toFixed(2)} CPU-s per query (p95 ${m.asl.p95CpuSec.toFixed(2)} s) in sklearn.`,
    );
  L.push('');
  return L.join('\n');
}
