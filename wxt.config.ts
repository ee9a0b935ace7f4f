import { defineConfig } from 'wxt';
import { HOST_MATCHES } from './lib/sites/registry';

/**
 * WXT build configuration. Chrome MV3 by default; `wxt build -b firefox` makes the Firefox MV3
 * build (WXT targets MV2 for Firefox unless told otherwise, hence `manifestVersion: 3`).
 * @see https://wxt.dev/api/config.html
 */
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  // Explicit imports everywhere: a reader sees where `browser` or `defineContentScript` comes from.
  imports: false,
  manifestVersion: 3,
  // A private output folder when several builds share a checkout (tests/e2e/fixtures.ts reads
  // PAPER_SCOUT_EXT_DIR); `.output` otherwise, WXT's default.
  outDir: process.env.PAPER_SCOUT_OUT_DIR ?? '.output',
  manifest: ({ browser }) => ({
    name: 'Paper Scout',
    description:
      'Save, tag and rediscover papers on Hugging Face Papers, arXiv, Google Scholar and the ACL Anthology. Private: everything stays in your browser.',
    // Least privilege (README "Permissions"): no <all_urls>, no tabs, no storage sync.
    permissions: ['unlimitedStorage'],
    host_permissions: [...HOST_MATCHES],
    content_security_policy: {
      extension_pages:
        "script-src 'self'; object-src 'self'; base-uri 'none'; frame-ancestors 'none'",
    },
    commands: {
      _execute_action: {
        suggested_key: { default: 'Alt+Shift+P' },
        description: 'Open the Paper Scout reading list',
      },
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'paper-scout@paperscout.dev',
              // MV3 host permissions (and so the content scripts) are granted at install only
              // from Firefox 127; 115–126 install the add-on with every site switched off.
              // https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/manifest.json/host_permissions
              strict_min_version: '127.0',
              // Nothing is collected or sent anywhere: every byte stays in the browser. Required
              // of new add-ons on addons.mozilla.org since 2025-11-03; older Firefox ignores it.
              // https://extensionworkshop.com/documentation/develop/firefox-builtin-data-consent/
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
  vite: () => ({
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    resolve: { alias: { react: 'preact/compat', 'react-dom': 'preact/compat' } },
  }),
});
