/**
 * A browser whose own locale is `locale` for the file's tests: a number formatter asked for no
 * locale (as lib/count.ts asks, for the browser's) gets `locale`; one asked for a locale gets it.
 * happy-dom and Node cannot switch the default locale, so Intl.NumberFormat is swapped and put
 * back after the file's tests.
 */
import { afterAll, beforeAll } from 'vitest';

export function useBrowserLocale(locale: string): void {
  const RealNumberFormat = Intl.NumberFormat;
  beforeAll(() => {
    class BrowserLocale extends RealNumberFormat {
      constructor(locales?: string | string[], options?: Intl.NumberFormatOptions) {
        super(locales ?? locale, options);
      }
    }
    Object.defineProperty(Intl, 'NumberFormat', { value: BrowserLocale, configurable: true });
  });
  afterAll(() => {
    Object.defineProperty(Intl, 'NumberFormat', { value: RealNumberFormat, configurable: true });
  });
}
