/**
 * Chromium with the built extension (as tests/e2e/fixtures.ts launches it), pages served at their
 * real URLs, and one measured visit: a fresh tab, a navigation, and the user-timing marks the
 * content script leaves (lib/content/controller.ts) plus the worker's measures (lib/background/start.ts).
 */
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
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
  // Other Chromiums (other benchmarks, tests) may run on the machine with workers of their own:
  // only this browser's processes are looked at.
  const browserPid = existsSync('/proc') ? findBrowserProcess(profile) : null;
  const thread = workerThreadCpu('/proc', browserPid);
  if (thread.available) {
    if (browserPid === null) console.warn(`bench: no browser process with the profile ${profile}`);
    // Found once now so a launch whose worker thread cannot be found says so at once; every
    // measurement looks it up again (a restarted worker is a new thread).
    const found = findWorkerThread('/proc', browserPid);
    if (typeof found === 'string') console.warn(`bench: ${found}`);
  }
  return {
    context,
    cpu,
    thread,
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

/** What a thread's `comm` starts with when it runs a service worker (Chromium names it so). */
const WORKER_THREAD = 'ServiceWorker';
/** The switch in the command line of the renderer process that runs extension pages and workers. */
const EXTENSION_PROCESS = '--extension-process';

/** The fields of a process's or thread's stat after its `(comm)`, which may hold spaces. */
function statFields(proc, ...path) {
  const stat = readFileSync(join(proc, ...path, 'stat'), 'utf8');
  return stat
    .slice(stat.lastIndexOf(')') + 1)
    .trim()
    .split(/\s+/);
}

const pids = (proc) => readdirSync(proc).filter((p) => /^\d+$/.test(p));

/**
 * The pid of the Chromium browser process using the profile folder `profile` (the one process
 * with `--user-data-dir=<profile>` and no `--type=`), or null.
 * @param {string} profile
 * @param {string} [proc]
 */
export function findBrowserProcess(profile, proc = '/proc') {
  for (const pid of pids(proc)) {
    try {
      const args = readFileSync(join(proc, pid, 'cmdline'), 'utf8').split('\0');
      if (args.includes(`--user-data-dir=${profile}`) && !args.some((a) => a.startsWith('--type=')))
        return pid;
    } catch {
      // the process ended while we looked
    }
  }
  return null;
}

/** Whether process `pid` is `root` or one of its descendants (renderers are the zygote's children). */
function descends(proc, pid, root) {
  for (let p = pid, hops = 0; p && p !== '0' && hops < 64; hops++) {
    if (p === root) return true;
    try {
      p = statFields(proc, p)[1]; // field 4: the parent's pid
    } catch {
      return false;
    }
  }
  return false;
}

/**
 * The thread running the extension's service worker, found in `proc` (a /proc tree): the one
 * thread whose `comm` starts with "ServiceWorker" in a process whose command line has
 * `--extension-process` and that descends from the browser process `root` (when given). Pure
 * read of the files; it attaches nothing to the worker.
 * @param {string} [proc]
 * @param {string | null} [root] the browser's pid (findBrowserProcess)
 * @returns {{ pid: string, tid: string, started: string } | string} the thread (`started`: its
 *   start time, field 22 of its stat, so a new thread with a reused id is told apart), or why none
 */
export function findWorkerThread(proc = '/proc', root = null) {
  const found = [];
  for (const pid of pids(proc)) {
    let tids;
    try {
      if (!readFileSync(join(proc, pid, 'cmdline'), 'utf8').includes(EXTENSION_PROCESS)) continue;
      if (root !== null && !descends(proc, pid, root)) continue;
      tids = readdirSync(join(proc, pid, 'task'));
    } catch {
      continue; // the process ended while we looked
    }
    for (const tid of tids) {
      try {
        if (!readFileSync(join(proc, pid, 'task', tid, 'comm'), 'utf8').startsWith(WORKER_THREAD))
          continue;
        found.push({ pid, tid, started: threadStart(proc, pid, tid) });
      } catch {
        // the thread ended while we looked
      }
    }
  }
  if (found.length === 1) return found[0];
  return found.length
    ? `${found.length} "${WORKER_THREAD}" threads in ${EXTENSION_PROCESS} renderers${root === null ? '' : ` of browser ${root}`} (threads ${found.map((t) => `${t.pid}/${t.tid}`).join(', ')}): cannot tell which is the extension's worker`
    : `no "${WORKER_THREAD}" thread in any ${EXTENSION_PROCESS} renderer${root === null ? '' : ` of browser ${root}`}: the extension's worker is not running`;
}

/** Field 22 (start time, in clock ticks since boot) of a thread's stat; `comm` may hold spaces. */
function threadStart(proc, pid, tid) {
  return statFields(proc, pid, 'task', tid)[19];
}

/**
 * A thread's time on a CPU so far, in ns: the first field of its schedstat (the scheduler's own
 * ns clock, not the 10-ms ticks of `utime`). Time spent waiting for a core is the second field,
 * and is not counted.
 * @param {string} text the content of `/proc/<pid>/task/<tid>/schedstat`
 */
export function parseSchedstat(text) {
  const first = text.trim().split(/\s+/)[0];
  if (!/^\d+$/.test(first))
    throw new Error(`unreadable schedstat: ${JSON.stringify(text.slice(0, 80))}`);
  return Number(first);
}

/**
 * The service worker's on-CPU time, read from /proc (Linux): `start` finds the worker's thread
 * anew (a worker that stopped and started again is a new thread) and reads its CPU time, `stop`
 * reads it again. Unlike the profiler it costs the worker nothing and counts no time spent waiting
 * for a core. `available` is false where there is no /proc.
 * @param {string} [proc]
 * @param {string | null} [root] the browser's pid: only its renderers are looked at
 */
export function workerThreadCpu(proc = '/proc', root = null) {
  /** @type {{ pid: string, tid: string, started: string, ns: number } | null} */
  let from = null;
  const schedstat = (t) => join(proc, t.pid, 'task', t.tid, 'schedstat');
  return {
    available: existsSync(join(proc, 'self', 'task')),
    /** Finds the worker's thread and notes its CPU time; throws, saying why, if it is not found. */
    start() {
      from = null;
      const t = findWorkerThread(proc, root);
      if (typeof t === 'string') throw new Error(t);
      from = { ...t, ns: parseSchedstat(readFileSync(schedstat(t), 'utf8')) };
    },
    /** The thread's CPU time since `start` (ms); throws if that thread has ended since. */
    stop() {
      const t = from;
      from = null;
      if (!t) throw new Error('worker thread CPU: stop without a start');
      let text;
      try {
        if (threadStart(proc, t.pid, t.tid) !== t.started) throw new Error('another thread');
        text = readFileSync(schedstat(t), 'utf8');
      } catch {
        throw new Error(
          `the worker's thread ${t.pid}/${t.tid} ended during the measurement (the worker stopped)`,
        );
      }
      return (parseSchedstat(text) - t.ns) / 1e6;
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
 * With `thread` (launch's `workerThreadCpu`), the worker thread's CPU time is read from the
 * navigation to the states painted, and then for one more second (what the worker does after its
 * reply); with `cpu` (launch's profiler), the same two spans are sampled by V8's profiler.
 * @returns {Promise<{ mounted: number, states: number, worker: number, commit: number,
 *   cpu?: number, cpuAfter?: number, cpuError?: string, sampled?: number, sampledAfter?: number,
 *   longTask: number }>} ms: start → mounted, start → states, the worker's time recording this
 *   page's cards (received → reply sent; received → committed; sums of its measures), its
 *   thread's CPU time up to the states painted and in the second after (`cpuError`, and no
 *   figure, when its thread could not be found or ended), the profiler's busy time for the same
 *   two spans, and the page's longest main-thread task after start (0: none of 50 ms or more).
 */
export async function visit(context, url, n, timeout = 20_000, cpu = null, thread = null) {
  await takeWorkerMeasures(context); // forget anything left from before
  const page = await context.newPage();
  /** @type {string | undefined} */
  let cpuError;
  // Each span is measured only if its start found the thread: no figure rather than a wrong one.
  const threadSpan = async (during) => {
    let started = false;
    try {
      thread.start();
      started = true;
    } catch (e) {
      cpuError ??= e.message;
    }
    await during();
    if (!started) return undefined;
    try {
      return thread.stop();
    } catch (e) {
      cpuError ??= e.message;
      return undefined;
    }
  };
  try {
    let busy;
    let busyAfter;
    let sampled;
    let sampledAfter;
    const load = async () => {
      await page.goto(url, { waitUntil: 'commit' });
      // Polled every 50 ms (not per frame, which would add work to the frames being measured).
      await page
        .waitForFunction(
          (n) => {
            let sum = 0;
            for (const m of performance.getEntriesByType('mark'))
              if (m.name === 'paper-scout:states' && (sum += Number(m.detail) || 0) >= n)
                return true;
            return false;
          },
          n,
          { polling: 50, timeout },
        )
        .catch(() => {}); // timed out: what the page shows is reported below
    };
    const second = () => new Promise((r) => setTimeout(r, 1000));
    if (cpu) await cpu.start();
    if (thread) busy = await threadSpan(load);
    else await load();
    if (cpu) {
      sampled = await cpu.stop();
      await cpu.start();
    }
    if (thread) busyAfter = await threadSpan(second);
    else if (cpu) await second();
    if (cpu) sampledAfter = await cpu.stop();
    if (!cpu && !thread) {
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
    // followed by the CPU meters' extra second could read the measures before the commit's was
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
      cpuError,
      sampled,
      sampledAfter,
      longTask: seen.longTask,
    };
  } finally {
    await page.close().catch(() => {});
  }
}
