/**
 * The Firefox build's content scripts run where the user installed them, without a manual grant.
 * In Firefox, a Manifest V3 extension's host permissions (host_permissions and the content
 * scripts' matches) are granted at install only from Firefox 127; Firefox 115–126 installs the
 * add-on without them, so no content script runs on any supported site until the user finds the
 * toggle in about:addons — and Paper Scout never asks (no permissions.request anywhere).
 * https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/manifest.json/host_permissions
 * (run `npm run build:firefox` first; skipped when that build is absent).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const path = resolve('.output', 'firefox-mv3', 'manifest.json');

describe.runIf(existsSync(path))('firefox-mv3 manifest', () => {
  it('requires a Firefox that grants MV3 host permissions at install (127+)', () => {
    const m = JSON.parse(readFileSync(path, 'utf8')) as {
      manifest_version: number;
      host_permissions?: string[];
      browser_specific_settings?: { gecko?: { strict_min_version?: string } };
    };
    expect(m.manifest_version).toBe(3);
    expect(m.host_permissions?.length).toBeGreaterThan(0);
    const min = m.browser_specific_settings?.gecko?.strict_min_version ?? '0';
    expect(Number.parseInt(min, 10)).toBeGreaterThanOrEqual(127);
  });
});
