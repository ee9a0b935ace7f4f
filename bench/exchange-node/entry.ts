/**
 * Entry of bench/exchange-node/run.mjs (bundled by it): the BibTeX import's JS work in Node —
 * reading an export of N real papers (parseImport) and the worker's plan and write of it into an
 * empty library (runImport on fake-indexeddb), each timed separately.
 */
import 'fake-indexeddb/auto';
import { PaperScoutDB, type PaperRecord } from '../../lib/db';
import { formatBibtex } from '../../lib/exchange/citation';
import { parseImport } from '../../lib/exchange/import';
import { assignCitationKeys } from '../../lib/exchange/keys';
import { runImport, type StagedRow } from '../../lib/exchange/merge';
import { schemaFor } from '../../lib/exchange/rows';

export { formatBibtex, parseImport, assignCitationKeys, runImport, schemaFor, PaperScoutDB };
export type { PaperRecord, StagedRow };
