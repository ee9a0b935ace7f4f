import { defineContentScript } from 'wxt/utils/define-content-script';
import { startContent } from '../lib/content/controller';
import { huggingface } from '../lib/sites/huggingface';

/**
 * Annotates paper cards on huggingface pages. One content script per site, so a page loads only its own
 * site's adapter (lib/content/controller.ts does the work).
 */
export default defineContentScript({
  matches: [...huggingface.matches],
  runAt: 'document_idle',
  main(ctx) {
    startContent(ctx, [huggingface]);
  },
});
