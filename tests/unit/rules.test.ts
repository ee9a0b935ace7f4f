/** Watch-rule matching as a user writes rules: names in their forms, exclusions, accents, words. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RuleRecord } from '../../lib/db';
import {
  compileRules,
  fold,
  matchPaper,
  parseName,
  words,
  type MatchablePaper,
} from '../../lib/rules/match';

let n = 0;
const rule = (over: Partial<RuleRecord>): RuleRecord => ({
  id: `r${n++}`,
  name: 'rule',
  kind: 'words',
  terms: [],
  exclude: [],
  color: '#ff0000',
  paused: false,
  createdAt: 0,
  updatedAt: 0,
  ...over,
});
const paper = (over: Partial<MatchablePaper>): MatchablePaper => ({ title: '', ...over });
const terms = (rules: RuleRecord[], p: MatchablePaper) =>
  matchPaper(compileRules(rules), p).map((h) => h.terms);

describe('words and phrases', () => {
  const diffusion = rule({ terms: ['diffusion'], exclude: ['diffusion MRI'] });
  it.each([
    ['Diffusion Models Beat GANs', ['Diffusion']],
    ['Latent diffusion-based editing', ['diffusion']],
    ['DIFFUSION policies for robots', ['DIFFUSION']],
    ['Denoising (diffusion) models', ['diffusion']],
    ['Diffusion MRI of the brain', null],
    ['diffusion  mri tractography', null],
    ['Diffusional kinetics', null],
    ['Nondiffusion models', null],
    ['Two diffusions collide', ['diffusions']],
  ])('%s', (title, want) => {
    const got = terms([diffusion], paper({ title }));
    expect(got).toEqual(want ? [want] : []);
  });

  it('an exclusion cancels only the occurrence it covers', () => {
    const got = terms(
      [diffusion],
      paper({ title: 'Diffusion MRI', abstract: 'We use diffusion models.' }),
    );
    expect(got).toEqual([['diffusion']]);
  });

  it('is accent-insensitive both ways', () => {
    expect(
      terms([rule({ terms: ['Schrödinger bridge'] })], paper({ title: 'schrodinger Bridges' })),
    ).toEqual([['schrodinger Bridges']]);
    expect(
      terms([rule({ terms: ['Schrödinger bridge'] })], paper({ title: 'Schrödinger bridged' })),
    ).toEqual([]);
    expect(
      terms([rule({ terms: ['Schrödinger bridge'] })], paper({ title: 'A SCHRODINGER bridge' })),
    ).toEqual([['SCHRODINGER bridge']]);
    expect(
      terms(
        [rule({ terms: ['naive bayes'] })],
        paper({ abstract: 'a naïve Bayes baseline', title: '' }),
      ),
    ).toEqual([['naïve Bayes']]);
  });

  it('ignores punctuation inside phrases', () => {
    expect(
      terms(
        [rule({ terms: ['chain of thought'] })],
        paper({ title: 'Chain-of-Thought prompting' }),
      ),
    ).toEqual([['Chain-of-Thought']]);
    expect(terms([rule({ terms: ['RLHF'] })], paper({ title: 'RLHF: a survey' }))).toEqual([
      ['RLHF'],
    ]);
  });

  it('paused rules match nothing', () => {
    expect(
      terms([rule({ terms: ['diffusion'], paused: true })], paper({ title: 'Diffusion' })),
    ).toEqual([]);
  });
});

describe('authors', () => {
  const levine = rule({ kind: 'author', terms: ['Sergey Levine'] });
  it.each([
    ['Sergey Levine', true],
    ['S. Levine', true],
    ['S Levine', true],
    ['Levine, Sergey', true],
    ['Levine, S.', true],
    ['sergey levine', true],
    ['Sergey V. Levine', true],
    ['Levine', true],
    ['Yoav Levine', false],
    ['Sergey Levin', false],
    ['Levine-Smith, Anna', false],
  ])('%s → %s', (author, want) => {
    expect(terms([levine], paper({ authors: ['A. Other', author] })).length > 0).toBe(want);
  });

  it('handles accents and compound last names', () => {
    const r = rule({ kind: 'author', terms: ['Timothée Lacroix'] });
    expect(terms([r], paper({ authors: ['T. Lacroix'] }))).toEqual([['T. Lacroix']]);
    expect(terms([r], paper({ authors: ['Timothee LACROIX'] }))).toEqual([['Timothee LACROIX']]);
    expect(parseName('van der Maaten, Laurens')).toEqual({
      last: 'van der maaten',
      given: ['laurens'],
    });
  });
  it.each([
    'Antonio Laverghetta Jr.',
    'Antonio Laverghetta, Jr.',
    'Laverghetta, Jr., Antonio',
    'Laverghetta, Antonio, Jr.',
    'A. Laverghetta Jr',
  ])('a generational suffix is not the last name: %s', (author) => {
    const r = rule({ kind: 'author', terms: ['Antonio Laverghetta'] });
    expect(terms([r], paper({ authors: [author] }))).toEqual([[author]]);
    expect(parseName(author)?.last).toBe('laverghetta');
  });
  it.each([
    ['Marcelo Pereira', 'Marcelo Lopes Pereira Junior', true],
    ['Marcelo Lopes Pereira Junior', 'M. L. Pereira Junior', true],
    ['Pereira Junior, Marcelo', 'Marcelo Lopes Pereira Junior', true],
    ['Marcelo Lopes Pereira Junior', 'Pereira, Marcelo', true],
    ['Ana Neto', 'Ana Maria Neto', true],
    ['Maria Neto', 'Ana Maria Neto', false],
    ['Carlos Junior', 'Carlos Junior', true],
    ['Marcelo Pereira', 'Marcelo Pereira Santos', false],
  ])(
    'a Brazilian agnome matches with or without it: rule %s, author %s → %s',
    (term, author, want) => {
      const r = rule({ kind: 'author', terms: [term] });
      expect(terms([r], paper({ authors: [author] })).length > 0).toBe(want);
    },
  );
  it('keeps a watched name with a suffix, and a lone V, as written', () => {
    const king = rule({ kind: 'author', terms: ['Martin Luther King III'] });
    expect(terms([king], paper({ authors: ['Martin L. King'] }))).toEqual([['Martin L. King']]);
    expect(parseName('Sanjay Kumar V')).toEqual({ last: 'v', given: ['sanjay', 'kumar'] });
  });
});

describe('organizations, categories and topics', () => {
  it('matches organizations as whole words', () => {
    const r = rule({ kind: 'organization', terms: ['Google DeepMind'] });
    expect(terms([r], paper({ organization: 'Google DeepMind' }))).toEqual([['Google DeepMind']]);
    expect(terms([r], paper({ organization: 'Google' }))).toEqual([]);
  });
  it('matches arXiv categories exactly, or a whole archive', () => {
    expect(
      terms(
        [rule({ kind: 'category', terms: ['cs.RO'] })],
        paper({ categories: ['cs.LG', 'cs.RO'] }),
      ),
    ).toEqual([['cs.RO']]);
    expect(
      terms([rule({ kind: 'category', terms: ['cs'] })], paper({ categories: ['cs.LG'] })),
    ).toEqual([['cs.LG']]);
    expect(
      terms([rule({ kind: 'category', terms: ['cs.R'] })], paper({ categories: ['cs.RO'] })),
    ).toEqual([]);
  });
  it('matches topic ids', () => {
    expect(
      terms([rule({ kind: 'topic', terms: ['rlhf'] })], paper({ topics: ['agents', 'rlhf'] })),
    ).toEqual([['rlhf']]);
  });
});

describe('many rules', () => {
  it('reports each matching rule once with all its terms', () => {
    const a = rule({ terms: ['reward model', 'RLHF'] });
    const b = rule({ kind: 'author', terms: ['Sergey Levine'] });
    const hits = matchPaper(
      compileRules([a, b]),
      paper({
        title: 'Reward models for RLHF',
        abstract: 'A reward model.',
        authors: ['Levine, Sergey'],
      }),
    );
    expect(hits).toEqual([
      { ruleId: a.id, terms: ['Reward models', 'RLHF', 'reward model'] },
      { ruleId: b.id, terms: ['Levine, Sergey'] },
    ]);
  });
});

describe('the scanner (plain-ASCII fast path, any other text, long texts)', () => {
  const one = (phrase: string, text: string, exclude: string[] = []) =>
    terms([rule({ terms: [phrase], exclude })], paper({ title: text }))[0] ?? [];

  it('finds words between any punctuation, at the very start and end of a text', () => {
    for (const text of [
      'diffusion',
      '(diffusion)',
      '"diffusion".',
      '—diffusion—',
      '¿diffusion?',
      "diffusion's",
      'x/diffusion/y',
      '\tdiffusion\n',
      'a\u00a0diffusion\u00a0b',
    ]) {
      expect(one('diffusion', text), text).toEqual(['diffusion']);
    }
    expect(one('diffusion', 'diffusion2 2diffusion diffusion_x')).toEqual(['diffusion']);
    expect(one('diffusion', 'diffusio n diffusionx xdiffusion')).toEqual([]);
  });

  it('plurals: the last word only, "+s" from 4 letters and "+es" from 5, nothing else', () => {
    expect(one('reward model', 'Reward Models; reward modeles')).toEqual([
      'Reward Models',
      'reward modeles',
    ]);
    expect(one('reward model', 'rewards model')).toEqual([]);
    expect(one('class', 'Classes')).toEqual(['Classes']);
    expect(one('gpu', 'GPUs')).toEqual(['GPUs']);
    expect(one('ga', 'gas gaes')).toEqual([]);
    expect(one('model', 'modelss models\u0301')).toEqual(['models']);
  });

  it('folds case and accents of non-ASCII texts and keeps offsets in the text as written', () => {
    expect(one('cafe', 'Un CAFÉ, deux cafés')).toEqual(['CAFÉ', 'cafés']);
    expect(one('café', 'the cafe')).toEqual(['cafe']);
    // A decomposed accent (e + U+0301) splits no word in two when folded.
    expect(one('resume', 'my re\u0301sume\u0301')).toEqual([]);
    expect(one('schrodinger bridge', 'À la Schrödinger—bridge…')).toEqual(['Schrödinger—bridge']);
    // Letters outside the BMP (a surrogate pair each) are letters; the fi ligature folds to "fi".
    expect(one('ab', 'x 𝐀𝐁 y')).toEqual(['𝐀𝐁']);
    expect(one('fine tuning', '\ufb01ne-tuning')).toEqual(['\ufb01ne-tuning']);
    // ß folds to ss (as a search for Strasse finds Straße): the capitals STRASSE are the same word.
    expect(one('straße', 'Straße STRASSE')).toEqual(['Straße', 'STRASSE']);
    expect(one('中文', '英文 中文。')).toEqual(['中文']);
    // A lone surrogate is no letter.
    expect(one('model', 'model\ud800model')).toEqual(['model']);
    expect(one('diffusion', '日本diffusion', ['diffusion mri'])).toEqual([]);
    expect(one('diffusion', '日本 diffusion, diffusion MRI')).toEqual(['diffusion']);
  });

  it("very long words and texts longer than the scanner's short-text arrays", () => {
    const long = 'a'.repeat(100_000);
    expect(one('diffusion', `${long} diffusion`)).toEqual(['diffusion']);
    expect(one('diffusion', `${long}diffusion`)).toEqual([]);
    const many = `${'word '.repeat(20_000)}latent Diffusions`;
    expect(one('latent diffusion', many)).toEqual(['latent Diffusions']);
    expect(one('latent diffusion', `${many} é`)).toEqual(['latent Diffusions']);
    // Then a short text again: the shared arrays hold nothing of the long one.
    expect(one('word', 'no match here')).toEqual([]);
  });

  it('empty and missing fields match nothing and do not throw', () => {
    const c = compileRules([
      rule({ terms: ['diffusion'] }),
      rule({ kind: 'author', terms: ['Sergey Levine'] }),
      rule({ kind: 'category', terms: ['cs'] }),
      rule({ kind: 'organization', terms: ['Google'] }),
      rule({ kind: 'topic', terms: ['rlhf'] }),
    ]);
    for (const p of [
      paper({}),
      paper({ abstract: '', organization: '', authors: [], categories: [], topics: [] }),
      paper({ title: ' .,;— ', abstract: '\u0301', authors: ['', ','], categories: [''] }),
    ]) {
      expect(matchPaper(c, p)).toEqual([]);
    }
  });

  it('results of one paper never leak into the next', () => {
    const c = compileRules([rule({ terms: ['diffusion'] }), rule({ terms: ['model'] })]);
    const first = matchPaper(c, paper({ title: 'diffusion model' }));
    expect(first.map((h) => h.terms)).toEqual([['diffusion'], ['model']]);
    expect(matchPaper(c, paper({ title: 'nothing' }))).toEqual([]);
    expect(matchPaper(c, paper({ title: 'a Model' })).map((h) => h.terms)).toEqual([['Model']]);
    expect(first.map((h) => h.terms)).toEqual([['diffusion'], ['model']]);
  });

  // The definition: words() splits text into folded words; a phrase occurs where its words follow
  // one another (the last maybe plural); an exclusion of the same rule covering it cancels it.
  const reference = (phrase: string, exclude: string[], text: string): string[] => {
    const ws = words(text);
    const at = (p: string) => {
      const pw = words(fold(p)).map((w) => w.w);
      const out: Array<[number, number]> = [];
      if (!pw.length) return out;
      for (let i = 0; i + pw.length <= ws.length; i++) {
        const ok = pw.every((want, k) => {
          const w = ws[i + k]!.w;
          if (w === want) return true;
          if (k < pw.length - 1) return false;
          return (w.length > 3 && w === `${want}s`) || (w.length > 4 && w === `${want}es`);
        });
        if (ok) out.push([i, i + pw.length]);
      }
      return out;
    };
    const ex = exclude.flatMap(at);
    const found = at(phrase).filter(([f, t]) => !ex.some(([ef, et]) => ef <= f && et >= t));
    return [...new Set(found.map(([f, t]) => text.slice(ws[f]!.start, ws[t - 1]!.end)))];
  };
  const vocab = [
    'model',
    'Models',
    'modeles',
    'MRI',
    'diffusion',
    'Diffusions',
    'naïve',
    'naive',
    'Bayes',
    'ﬁne',
    'tuning',
    'gas',
    'ga',
    'ses',
    's',
    'café',
    'CAFE',
    'cafés',
    'Straße',
    '𝐀𝐁',
    'ab',
    'x2',
    '中文',
    'é',
    'e',
    'es',
  ];
  const seps = [' ', '  ', '-', ', ', '.', '(', ')', '—', '\u00a0', '\n', "'", '\u0301', '/', ''];
  const textArb = fc
    .array(fc.tuple(fc.constantFrom(...vocab), fc.constantFrom(...seps)), { maxLength: 14 })
    .map((parts) => parts.map(([w, s]) => w + s).join(''));
  const phraseArb = fc
    .array(fc.constantFrom(...vocab), { minLength: 1, maxLength: 3 })
    .map((ws) => ws.join(' '));

  it('finds exactly what the definition finds, in ASCII and in any text (property)', () => {
    fc.assert(
      fc.property(
        phraseArb,
        fc.array(phraseArb, { maxLength: 2 }),
        textArb,
        (phrase, exclude, text) => {
          const got = terms([rule({ terms: [phrase], exclude })], paper({ title: text }));
          const want = reference(phrase, exclude, text);
          expect(got).toEqual(want.length ? [want] : []);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
