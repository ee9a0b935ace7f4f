import { defineContentScript } from 'wxt/utils/define-content-script';
import { startContent } from '../../lib/content/controller';
import { HOST_MATCHES } from '../../lib/sites/registry';

/** Annotates paper cards on supported pages (lib/content/controller.ts does the work). */
export default defineContentScript({
  matches: [...HOST_MATCHES],
  runAt: 'document_idle',
  main(ctx) {
    startContent(ctx);
  },
});
