/**
 * Everything of the popup that is not needed for its first rows, loaded in one go right after
 * they are painted (components/popup/later.ts): the database library (Dexie, about 100 KB of
 * script), messages to the background, the note editor, the BibTeX button, the Export menu and
 * the Related and Highlighted tabs. The first rows come from lib/firstrows.ts without any of it.
 */
export { getDb } from '../../lib/db';
export { HIGHLIGHTS_READ_AT } from '../../lib/rules/store';
export { send } from '../../lib/rpc';
export { CopyBibtexButton } from '../exchange/CopyBibtexButton';
export { ExportMenu } from '../exchange/ExportMenu';
export { NotePanel } from '../NotePanel';
export { HighlightedTab } from './HighlightedTab';
export { RelatedTab } from './RelatedTab';
