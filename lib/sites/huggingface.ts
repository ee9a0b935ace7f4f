import type { SiteAdapter } from './types';

/** Hugging Face adapter (stub: being written). */
export const huggingface: SiteAdapter = {
  id: 'huggingface',
  name: 'Hugging Face',
  matches: [],
  detect: () => null,
  findCards: () => [],
  cardIdentity: () => null,
  readCard: () => null,
  mountPoint: () => null,
};
