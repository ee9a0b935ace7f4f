import { defineContentScript } from 'wxt/utils/define-content-script';
import { startContent } from '../lib/content/controller';
import { arxiv } from '../lib/sites/arxiv';

/**
 * Annotates paper cards on arxiv pages. One content script per site, so a page loads only its own
 * site's adapter (lib/content/controller.ts does the work).
 */
export default defineContentScript({
  matches: [...arxiv.matches],
  runAt: 'document_idle',
  main(ctx) {
    startContent(ctx, [arxiv]);
  },
});
