import { defineContentScript } from 'wxt/utils/define-content-script';
import { startContent } from '../lib/content/controller';
import { acl } from '../lib/sites/acl';

/**
 * Annotates paper cards on acl pages. One content script per site, so a page loads only its own
 * site's adapter (lib/content/controller.ts does the work).
 */
export default defineContentScript({
  matches: [...acl.matches],
  runAt: 'document_idle',
  main(ctx) {
    startContent(ctx, [acl]);
  },
});
