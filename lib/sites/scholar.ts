import type { SiteAdapter } from './types';

/** Google Scholar adapter (stub: being written). */
export const scholar: SiteAdapter = {
  id: 'scholar',
  name: 'Google Scholar',
  matches: [],
  detect: () => null,
  findCards: () => [],
  cardIdentity: () => null,
  readCard: () => null,
  mountPoint: () => null,
};
