/** Watch-rule matching as a user writes rules: names in their forms, exclusions, accents, words. */
import { describe, expect, it } from 'vitest';
import type { RuleRecord } from '../../lib/db';
import { compileRules, matchPaper, parseName, type MatchablePaper } from '../../lib/rules/match';

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
