/**
 * Least privilege, checked on what ships: the built manifest(s) under .output (run `npm run build`
 * first; `npm test` does). No broad host access, no `tabs`, host permissions exactly the site
 * registry's patterns, every permission explained in the README, nothing a web page could use to
 * reach the extension, and a strict CSP for the extension's own pages.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOST_MATCHES } from '../../lib/sites/registry';

interface Manifest {
  manifest_version: number;
  permissions?: string[];
  optional_permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  content_scripts?: Array<{
    matches: string[];
    all_frames?: boolean;
    match_about_blank?: boolean;
    match_origin_as_fallback?: boolean;
    world?: string;
  }>;
  content_security_policy?: { extension_pages?: string; sandbox?: string };
  externally_connectable?: unknown;
  web_accessible_resources?: unknown;
  background?: Record<string, unknown>;
  browser_specific_settings?: {
    gecko?: {
      id?: string;
      data_collection_permissions?: { required?: string[]; optional?: string[] };
    };
  };
}

const TARGETS = ['chrome-mv3', 'firefox-mv3'] as const;
const manifestPath = (t: string) => resolve('.output', t, 'manifest.json');
const built = TARGETS.filter((t) => existsSync(manifestPath(t)));
const read = (t: string) => JSON.parse(readFileSync(manifestPath(t), 'utf8')) as Manifest;

/** Permissions that would let Paper Scout see far more than the pages it annotates. */
const NEVER = [
  '<all_urls>',
  'tabs',
  'activeTab',
  'scripting',
  'history',
  'cookies',
  'webRequest',
  'webRequestBlocking',
  'webNavigation',
  'declarativeNetRequest',
  'declarativeNetRequestWithHostAccess',
  'debugger',
  'management',
  'nativeMessaging',
  'clipboardRead',
  'bookmarks',
  'topSites',
  'downloads',
  'identity',
  'proxy',
  'privacy',
];

/** The README's "## Permissions" section. */
function readmePermissions(): string {
  const readme = readFileSync(resolve('README.md'), 'utf8');
  const start = readme.indexOf('## Permissions');
  expect(start, 'README has a "## Permissions" section').toBeGreaterThanOrEqual(0);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** CSP directives: name → sources. */
function directives(csp: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), sources);
  }
  return out;
}

/** A host pattern that grants every site (or every site of a scheme, or a whole TLD). */
const TOO_BROAD = /^(<all_urls>|\*:\/\/\*\/.*|https?:\/\/\*\/.*|[a-z*]+:\/\/\*\.[a-z]+\/.*)$/;

it('the Chrome build exists (npm run build)', () => {
  expect(built, 'run `npm run build` before the unit tests').toContain('chrome-mv3');
});

describe.each(built)('%s manifest', (target) => {
  const m = read(target);

  it('asks for no broad or unneeded permission, and explains each one in the README', () => {
    const perms = [...(m.permissions ?? []), ...(m.optional_permissions ?? [])];
    for (const p of NEVER) expect(perms, `permission ${p}`).not.toContain(p);
    const section = readmePermissions();
    for (const p of perms) expect(section, `README explains ${p}`).toContain(`\`${p}\``);
  });

  it('has host permissions exactly the site registry’s patterns, none too broad', () => {
    const hosts = m.host_permissions ?? [];
    expect(new Set(hosts).size, 'no duplicates').toBe(hosts.length);
    expect([...hosts].sort()).toEqual([...HOST_MATCHES].sort());
    expect(m.optional_host_permissions ?? []).toEqual([]);
    // The README's permission table says how many Scholar domains it asks for.
    const scholar = hosts.filter((h) => h.includes('scholar.google.')).length;
    expect(readmePermissions(), 'README counts the Scholar domains').toContain(
      `(${scholar} domains)`,
    );
    for (const h of hosts) {
      expect(h, 'host pattern').not.toMatch(TOO_BROAD);
      expect(h, 'https only').toMatch(/^https:\/\//);
    }
  });

  it('runs content scripts only on supported pages, top frame, isolated world', () => {
    expect(m.content_scripts?.length ?? 0).toBeGreaterThan(0);
    for (const cs of m.content_scripts ?? []) {
      for (const match of cs.matches) expect(HOST_MATCHES).toContain(match);
      expect(cs.all_frames ?? false).toBe(false);
      expect(cs.match_about_blank ?? false).toBe(false);
      expect(cs.match_origin_as_fallback ?? false).toBe(false);
      // A MAIN-world script would share its globals with the page.
      expect(cs.world ?? 'ISOLATED').toBe('ISOLATED');
    }
  });

  it('gives web pages no way in: no externally_connectable, no web-accessible files', () => {
    expect(m.externally_connectable).toBeUndefined();
    expect(m.web_accessible_resources).toBeUndefined();
  });

  it('has a strict CSP for extension pages: own scripts only, no eval, no remote code', () => {
    const csp = m.content_security_policy?.extension_pages;
    expect(csp, 'an explicit extension_pages CSP').toBeTruthy();
    const d = directives(csp!);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(["'self'", "'none'"]).toEqual(
      expect.arrayContaining(d.get('object-src') ?? ['missing']),
    );
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    for (const [name, sources] of d) {
      for (const s of sources) {
        expect(s, `${name} source`).not.toMatch(/unsafe|^\*$|^https?:|^data:|^blob:|^wss?:/i);
      }
    }
    expect(m.content_security_policy?.sandbox).toBeUndefined();
  });

  it('is MV3 with a non-persistent background', () => {
    expect(m.manifest_version).toBe(3);
    expect(m.background?.persistent ?? false).toBe(false);
  });
});

describe.each(built.filter((t) => t.startsWith('firefox')))('%s manifest (Firefox)', (target) => {
  it('tells Firefox that no data is collected or sent (nothing leaves the browser)', () => {
    // Firefox's built-in data consent, required of new add-ons since 2025-11-03:
    // https://extensionworkshop.com/documentation/develop/firefox-builtin-data-consent/
    const gecko = read(target).browser_specific_settings?.gecko;
    expect(gecko?.id).toBeTruthy();
    expect(gecko?.data_collection_permissions).toEqual({ required: ['none'] });
  });
});
