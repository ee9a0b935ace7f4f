import type { PageMatch, SiteAdapter } from './types';

/**
 * The first of `adapters` that recognizes the URL, with its page kind; null when none does. Pure.
 * Content scripts pass only their own site's adapter, so each site's bundle carries one adapter.
 */
export function detectPage(
  url: string | URL,
  adapters: readonly SiteAdapter[],
): { adapter: SiteAdapter; page: PageMatch } | null {
  let u: URL;
  try {
    u = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return null;
  }
  for (const adapter of adapters) {
    const page = adapter.detect(u);
    if (page) return { adapter, page };
  }
  return null;
}
