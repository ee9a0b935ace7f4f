import type { SiteAdapter } from './types';

/** arXiv adapter (stub: being written). */
export const arxiv: SiteAdapter = {
  id: 'arxiv',
  name: 'arXiv',
  matches: [],
  detect: () => null,
  findCards: () => [],
  cardIdentity: () => null,
  readCard: () => null,
  mountPoint: () => null,
};
