import type { SiteAdapter } from './types';

/** ACL Anthology adapter (stub: being written). */
export const acl: SiteAdapter = {
  id: 'acl',
  name: 'ACL Anthology',
  matches: [],
  detect: () => null,
  findCards: () => [],
  cardIdentity: () => null,
  readCard: () => null,
  mountPoint: () => null,
};
