import { defineBackground } from 'wxt/utils/define-background';
import { startBackground } from '../lib/background/start';

/** The service worker: owns the database and answers every message (lib/background/). */
export default defineBackground(() => {
  startBackground();
});
