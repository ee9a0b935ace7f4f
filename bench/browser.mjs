/**
 * Chromium with the built extension (as tests/e2e/fixtures.ts launches it), pages served at their
 * real URLs, and one measured visit: a fresh tab, a navigation, and the user-timing marks the
 * content script leaves (lib/content/controller.ts) plus the worker's measures (lib/background/start.ts).
 */
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** "156.0.8078.79" (the binary's own `--version`). */
export function chromiumVersion() {
  const out = execFileSync(CHROMIUM, ['--version'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return /([\d.]+)/.exec(out)?.[1] ?? out.trim();
}

/**
 * Launches Chromium with the extension in a fresh temporary profile. Only the URLs given to
 * `serve` are answered; DNS resolves nothing else, so nothing reaches the network.
 * @param {string} extensionDir
 */
export async function launch(extensionDir) {
  const profile = mkdtempSync(join(tmpdir(), 'paper-scout-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      // DevTools protocol on a free loopback port (next to Playwright's pipe), so the worker's
      // CPU can be sampled with V8's profiler: Playwright opens no session on a service worker.
      '--remote-debugging-port=0',
    ],
  });
  /** @type {Map<string, string>} url → HTML */
  const pages = new Map();
  // Only documents of the two sites are routed (matched by the Playwright driver itself); every
  // other request goes on untouched and fails DNS.
  await context.route(
    /^https:\/\/(huggingface\.co\/papers|arxiv\.org\/(list|search)\/)/,
    (route) => {
      const html = pages.get(route.request().url().split('#')[0]);
      return html === undefined
        ? route.abort('blockedbyclient')
        : route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
    },
  );
  // Every long task of every page (≥ 50 ms, the Long Tasks API's threshold), from the page's
  // start: registered before any page script, buffered so none is missed (`readMarks` reads them).
  await context.addInitScript(() => {
    const seen = [];
    const observer = new PerformanceObserver((list) => seen.push(...list.getEntries()));
    observer.observe({ type: 'longtask', buffered: true });
    globalThis.__paperScoutLongTasks = () => [...seen, ...observer.takeRecords()];
  });
  if (!context.serviceWorkers().length) await context.waitForEvent('serviceworker');
  const port = readFileSync(join(profile, 'DevToolsActivePort'), 'utf8').split('\n')[0];
  const cpu = workerProfiler(port);
  return {
    context,
    cpu,
    /** Answers `url` with `html` from now on. */
    serve: (url, html) => void pages.set(url, html),
    close: async () => {
      cpu.close();
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * The extension's service worker through the DevTools protocol (loopback port): V8's sampling
 * profiler, whose non-idle samples add up to the time the worker's main thread was busy.
 * @param {string} port
 */
function workerProfiler(port) {
  /** @type {{ ws: WebSocket, id: string, send: (method: string, params?: object) => Promise<any> } | null} */
  let session = null;
  const connect = async () => {
    const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
    const sw = targets.find(
      (t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'),
    );
    if (!sw) throw new Error('the extension has no running service worker');
    if (session?.id === sw.id && session.ws.readyState === WebSocket.OPEN) return session;
    session?.ws.close();
    const ws = new WebSocket(sw.webSocketDebuggerUrl);
    await new Promise((ok, fail) => {
      ws.addEventListener('open', ok, { once: true });
      ws.addEventListener('error', fail, { once: true });
    });
    let seq = 0;
    const waiting = new Map();
    ws.addEventListener('message', (e) => {
      const m = JSON.parse(String(e.data));
      if (m.id && waiting.has(m.id)) {
        waiting.get(m.id)(m);
        waiting.delete(m.id);
      }
    });
    const send = (method, params = {}) =>
      new Promise((ok, fail) => {
        const id = ++seq;
        waiting.set(id, (m) => (m.error ? fail(new Error(m.error.message)) : ok(m.result)));
        ws.send(JSON.stringify({ id, method, params }));
      });
    await send('Profiler.enable');
    await send('Profiler.setSamplingInterval', { interval: 500 }); // µs: little overhead
    session = { ws, id: sw.id, send };
    return session;
  };
  return {
    /** Starts sampling the worker. */
    async start() {
      await (await connect()).send('Profiler.start');
    },
    /** Stops sampling; the worker's busy time since `start` (ms). */
    async stop() {
      const { profile } = await (await connect()).send('Profiler.stop');
      const idle = new Set(
        profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id),
      );
      let busy = 0;
      for (let i = 0; i < profile.samples.length; i++)
        if (!idle.has(profile.samples[i])) busy += (profile.timeDeltas[i + 1] ?? 0) / 1000;
      return busy;
    },
    close() {
      session?.ws.close();
    },
  };
}

/**
 * Reads the page's marks: start, and the time at which the mounted / states marks (whose details
 * count cards) first add up to `n`. Runs in the page; the content script's isolated world shares
 * the document's performance timeline. Also the longest main-thread task still running at or
 * after start (the content script's first task began before its mark): 0 when none took 50 ms.
 */
function readMarks(n) {
  const marks = performance.getEntriesByType('mark');
  const start = marks.find((m) => m.name === 'paper-scout:start');
  const tasks = globalThis.__paperScoutLongTasks?.() ?? [];
  const reached = (name) => {
    let sum = 0;
    for (const m of marks)
      if (m.name === name && (sum += Number(m.detail) || 0) >= n) return m.startTime;
    return null;
  };
  const count = (name) =>
    marks.filter((m) => m.name === name).reduce((s, m) => s + (Number(m.detail) || 0), 0);
  return {
    start: start?.startTime ?? null,
    mounted: reached('paper-scout:mounted'),
    states: reached('paper-scout:states'),
    mountedCards: count('paper-scout:mounted'),
    longTask: start
      ? Math.max(
          0,
          ...tasks.filter((t) => t.startTime + t.duration > start.startTime).map((t) => t.duration),
        )
      : null,
    hosts: document.querySelectorAll('paper-scout-card').length,
    errors: [...document.querySelectorAll('paper-scout-card')]
      .map((h) => h.shadowRoot?.querySelector('[role="alert"]')?.textContent)
      .filter(Boolean),
  };
}

/**
 * The worker's `paper-scout:cards/seen` measures since the last call (then cleared): message
 * received → reply sent, and message received → the recording's transaction committed.
 */
async function takeWorkerMeasures(context) {
  const worker = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
  if (!worker) throw new Error('the extension has no running service worker');
  return worker.evaluate(() => {
    const of = (name) =>
      performance
        .getEntriesByType('measure')
        .filter((m) => m.name === name)
        .map((m) => ({ duration: m.duration, cards: Number(m.detail) || 0 }));
    const out = {
      reply: of('paper-scout:cards/seen'),
      commit: of('paper-scout:cards/seen:commit'),
    };
    performance.clearMeasures();
    return out;
  });
}

/**
 * One measured visit: opens a tab, loads `url`, waits until `n` cards are mounted and their
 * states painted, closes the tab. Throws, saying what it saw, when that does not happen in time.
 * With `cpu` (launch's profiler), the worker's main thread is sampled from the navigation to
 * the states painted, and then for one more second (what the worker does after its reply).
 * @returns {Promise<{ mounted: number, states: number, worker: number, commit: number,
 *   cpu?: number, cpuAfter?: number, longTask: number }>} ms: start → mounted, start → states,
 *   the worker's time recording this page's cards (received → reply sent; received → committed;
 *   sums of its measures), its busy time up to the states painted and in the second after, and
 *   the page's longest main-thread task after start (0: none of 50 ms or more).
 */
export async function visit(context, url, n, timeout = 20_000, cpu = null) {
  await takeWorkerMeasures(context); // forget anything left from before
  const page = await context.newPage();
  try {
    if (cpu) await cpu.start();
    await page.goto(url, { waitUntil: 'commit' });
    // Polled every 50 ms (not per frame, which would add work to the frames being measured).
    await page
      .waitForFunction(
        (n) => {
          let sum = 0;
          for (const m of performance.getEntriesByType('mark'))
            if (m.name === 'paper-scout:states' && (sum += Number(m.detail) || 0) >= n) return true;
          return false;
        },
        n,
        { polling: 50, timeout },
      )
      .catch(() => {}); // timed out: what the page shows is reported below
    let busy;
    let busyAfter;
    if (cpu) {
      busy = await cpu.stop();
      await cpu.start();
      await new Promise((r) => setTimeout(r, 1000));
      busyAfter = await cpu.stop();
    } else {
      // Two frames more: the style and layout of what the last task painted is a task too.
      await page
        .evaluate(
          () =>
            new Promise((r) =>
              requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0))),
            ),
        )
        .catch(() => {});
    }
    const seen = await page.evaluate(readMarks, n);
    if (seen.start === null || seen.mounted === null || seen.states === null || seen.hosts !== n) {
      throw new Error(
        `${url}: expected ${n} cards, the extension ${seen.start === null ? 'did not start' : `mounted ${seen.mountedCards}`}` +
          ` (${seen.hosts} UI hosts on the page) within ${timeout / 1000} s`,
      );
    }
    if (seen.errors.length)
      throw new Error(`${url}: ${seen.errors.length} cards show an error: ${seen.errors[0]}`);
    const measures = await takeWorkerMeasures(context);
    // The worker replies before its writes commit (lib/library.ts recordCards), so a visit not
    // followed by the profiler's extra second could read the measures before the commit's was
    // made ("committed 0 cards" on a busy machine): it waits for that one, as for the states.
    const sum = (list) => list.reduce((s, m) => s + m.cards, 0);
    for (const end = Date.now() + timeout; sum(measures.commit) < n && Date.now() < end;) {
      await new Promise((r) => setTimeout(r, 50));
      const more = await takeWorkerMeasures(context);
      measures.reply.push(...more.reply);
      measures.commit.push(...more.commit);
    }
    const recorded = measures.reply.reduce((s, m) => s + m.cards, 0);
    if (recorded !== n)
      throw new Error(`${url}: the worker recorded ${recorded} cards, expected ${n}`);
    const committed = measures.commit.reduce((s, m) => s + m.cards, 0);
    if (committed !== n)
      throw new Error(`${url}: the worker committed ${committed} cards, expected ${n}`);
    return {
      mounted: seen.mounted - seen.start,
      states: seen.states - seen.start,
      worker: measures.reply.reduce((s, m) => s + m.duration, 0),
      commit: measures.commit.reduce((s, m) => s + m.duration, 0),
      cpu: busy,
      cpuAfter: busyAfter,
      longTask: seen.longTask,
    };
  } finally {
    await page.close().catch(() => {});
  }
}
