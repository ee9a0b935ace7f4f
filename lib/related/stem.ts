/**
 * The Porter stemmer (M.F. Porter, "An algorithm for suffix stripping", 1980), the original
 * algorithm as published, for lower-case ASCII words. "networks" → "network", "learning" → "learn",
 * "generalization" → "gener". Words shorter than 3 letters are returned unchanged.
 * @see https://tartarus.org/martin/PorterStemmer/def.txt
 */

function isCons(w: string, i: number): boolean {
  const c = w.charCodeAt(i);
  // a e i o u
  if (c === 97 || c === 101 || c === 105 || c === 111 || c === 117) return false;
  if (c === 121) return i === 0 ? true : !isCons(w, i - 1); // y
  return true;
}

/** m(): the number of VC sequences in w[0, end). */
function measure(w: string, end: number): number {
  let n = 0;
  let i = 0;
  while (i < end && isCons(w, i)) i++;
  for (;;) {
    while (i < end && !isCons(w, i)) i++;
    if (i >= end) return n;
    while (i < end && isCons(w, i)) i++;
    n++;
    if (i >= end) return n;
  }
}

function hasVowel(w: string, end: number): boolean {
  for (let i = 0; i < end; i++) if (!isCons(w, i)) return true;
  return false;
}

function doubleCons(w: string, end: number): boolean {
  return end >= 2 && w[end - 1] === w[end - 2] && isCons(w, end - 1);
}

/** *o: the stem ends cvc, where the second c is not w, x or y. */
function cvc(w: string, end: number): boolean {
  if (end < 3 || !isCons(w, end - 1) || isCons(w, end - 2) || !isCons(w, end - 3)) return false;
  const c = w[end - 1];
  return c !== 'w' && c !== 'x' && c !== 'y';
}

/** Replaces `suffix` by `rep` when the stem before it has measure > `min`. Null when w lacks it. */
function swap(w: string, suffix: string, rep: string, min: number): string | null {
  if (!w.endsWith(suffix)) return null;
  const stem = w.length - suffix.length;
  return measure(w, stem) > min ? w.slice(0, stem) + rep : w;
}

const STEP2: [string, string][] = [
  ['ational', 'ate'],
  ['tional', 'tion'],
  ['enci', 'ence'],
  ['anci', 'ance'],
  ['izer', 'ize'],
  ['bli', 'ble'],
  ['alli', 'al'],
  ['entli', 'ent'],
  ['eli', 'e'],
  ['ousli', 'ous'],
  ['ization', 'ize'],
  ['ation', 'ate'],
  ['ator', 'ate'],
  ['alism', 'al'],
  ['iveness', 'ive'],
  ['fulness', 'ful'],
  ['ousness', 'ous'],
  ['aliti', 'al'],
  ['iviti', 'ive'],
  ['biliti', 'ble'],
  ['logi', 'log'],
];
const STEP3: [string, string][] = [
  ['icate', 'ic'],
  ['ative', ''],
  ['alize', 'al'],
  ['iciti', 'ic'],
  ['ical', 'ic'],
  ['ful', ''],
  ['ness', ''],
];
const STEP4 = [
  'al',
  'ance',
  'ence',
  'er',
  'ic',
  'able',
  'ible',
  'ant',
  'ement',
  'ment',
  'ent',
  'ion',
  'ou',
  'ism',
  'ate',
  'iti',
  'ous',
  'ive',
  'ize',
];

function step1ab(w: string): string {
  if (w.endsWith('s')) {
    if (w.endsWith('sses')) w = w.slice(0, -2);
    else if (w.endsWith('ies')) w = w.slice(0, -2);
    else if (!w.endsWith('ss')) w = w.slice(0, -1);
  }
  if (w.endsWith('eed')) {
    if (measure(w, w.length - 3) > 0) w = w.slice(0, -1);
    return w;
  }
  let cut = 0;
  if (w.endsWith('ed') && hasVowel(w, w.length - 2)) cut = 2;
  else if (w.endsWith('ing') && hasVowel(w, w.length - 3)) cut = 3;
  if (!cut) return w;
  w = w.slice(0, -cut);
  if (w.endsWith('at') || w.endsWith('bl') || w.endsWith('iz')) return w + 'e';
  if (doubleCons(w, w.length)) {
    const c = w[w.length - 1];
    return c === 'l' || c === 's' || c === 'z' ? w : w.slice(0, -1);
  }
  if (measure(w, w.length) === 1 && cvc(w, w.length)) return w + 'e';
  return w;
}

function step1c(w: string): string {
  return w.endsWith('y') && hasVowel(w, w.length - 1) ? w.slice(0, -1) + 'i' : w;
}

function stepTable(w: string, table: [string, string][]): string {
  for (const [suffix, rep] of table) {
    const r = swap(w, suffix, rep, 0);
    if (r !== null) return r;
  }
  return w;
}

function step4(w: string): string {
  for (const suffix of STEP4) {
    if (!w.endsWith(suffix)) continue;
    const stem = w.length - suffix.length;
    if (measure(w, stem) <= 1) return w;
    if (suffix === 'ion') {
      const c = w[stem - 1];
      return c === 's' || c === 't' ? w.slice(0, stem) : w;
    }
    return w.slice(0, stem);
  }
  return w;
}

function step5(w: string): string {
  if (w.endsWith('e')) {
    const m = measure(w, w.length - 1);
    if (m > 1 || (m === 1 && !cvc(w, w.length - 1))) w = w.slice(0, -1);
  }
  if (w.endsWith('ll') && measure(w, w.length) > 1) w = w.slice(0, -1);
  return w;
}

/** Porter-stems one lower-case word (letters a–z; other characters are left in place). */
export function porterStem(word: string): string {
  if (word.length < 3) return word;
  let w = step1ab(word);
  w = step1c(w);
  w = stepTable(w, STEP2);
  w = stepTable(w, STEP3);
  w = step4(w);
  return step5(w);
}
