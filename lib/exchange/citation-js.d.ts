/**
 * Types for the parts of Citation.js (https://citation.js.org) Paper Scout uses; the packages ship
 * none. Only lib/exchange/citation.ts imports them, and only extension pages import that module.
 */
declare module '@citation-js/core' {
  interface ChainOptions {
    forceType?: string;
    target?: string;
    generateGraph?: boolean;
  }
  export const plugins: {
    input: { chain(input: unknown, options: ChainOptions): unknown };
    output: { format(name: string, data: unknown[], options?: Record<string, unknown>): unknown };
    config: { get(ref: string): unknown };
  };
}
declare module '@citation-js/plugin-bibtex' {}
declare module '@citation-js/plugin-ris' {}
declare module '@citation-js/name' {
  export interface ParsedName {
    given?: string;
    family?: string;
    suffix?: string;
    'non-dropping-particle'?: string;
    'dropping-particle'?: string;
    literal?: string;
  }
  export function parse(name: string): ParsedName;
  export function format(name: ParsedName, reversed?: boolean): string;
}
