import { defineContentScript } from 'wxt/utils/define-content-script';
import { startContent } from '../lib/content/controller';
import { scholar } from '../lib/sites/scholar';

/**
 * Annotates paper cards on scholar pages. One content script per site, so a page loads only its own
 * site's adapter (lib/content/controller.ts does the work).
 */
export default defineContentScript({
  matches: [...scholar.matches],
  runAt: 'document_idle',
  main(ctx) {
    startContent(ctx, [scholar]);
  },
});
