/**
 * A content script speaks for its own site only: paper/setSaved from a Hugging Face page that
 * says the paper was saved from ACL (or arXiv) is refused, as cards/seen and paper/annotate are.
 */
import 'fake-indexeddb/auto';
import { expect, it } from 'vitest';
import { PaperScoutDB } from '../../lib/db';
import { handleMessage, type RouterEnv, type SenderInfo } from '../../lib/background/router';

const EXT = 'abcdefghijklmnop';

it('refuses paper/setSaved whose site is not its sender’s', async () => {
  const db = new PaperScoutDB('router-site-claims');
  await db.open();
  const env: RouterEnv = {
    db,
    extensionId: EXT,
    extensionOrigin: `chrome-extension://${EXT}/`,
    notify: () => {},
  };
  const content: SenderInfo = { id: EXT, url: 'https://huggingface.co/papers', tab: { id: 3 } };
  const res = await handleMessage(
    {
      type: 'paper/setSaved',
      site: 'acl',
      saved: true,
      paper: { aclId: '2024.acl-long.1', title: 'A Paper', url: 'https://aclanthology.org/x/' },
    },
    content,
    env,
  );
  expect(res).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  expect(await db.papers.count()).toBe(0);
});
