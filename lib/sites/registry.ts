import type { PageMatch, SiteAdapter } from './types';
import { huggingface } from './huggingface';
import { arxiv } from './arxiv';
import { scholar } from './scholar';
import { acl } from './acl';
import { detectPage } from './detect';

/** Every supported site. A test fails for an adapter without a real saved page under tests/fixtures. */
export const ADAPTERS: readonly SiteAdapter[] = [huggingface, arxiv, scholar, acl];

/** Match patterns of all supported pages: the manifest's host permissions and content-script matches. */
export const HOST_MATCHES: readonly string[] = ADAPTERS.flatMap((a) => a.matches);

/** The adapter and page kind for a URL, or null when Paper Scout has nothing to do there. Pure. */
export function matchPage(url: string | URL): { adapter: SiteAdapter; page: PageMatch } | null {
  return detectPage(url, ADAPTERS);
}

/** The adapter for a site id. */
export function adapterFor(site: PageMatch['site']): SiteAdapter | undefined {
  return ADAPTERS.find((a) => a.id === site);
}
