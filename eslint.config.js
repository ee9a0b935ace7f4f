// Flat config: typescript-eslint's recommended rules on all source, tests and benchmarks.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      '.output/**',
      '.out-*/**',
      '.wxt/**',
      'node_modules/**',
      'test-results/**',
      'bench/.tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Page text must never become HTML: use textContent.' },
        { property: 'outerHTML', message: 'Page text must never become HTML.' },
        { property: 'insertAdjacentHTML', message: 'Page text must never become HTML.' },
      ],
    },
  },
  {
    files: ['**/*.mjs', 'bench/**', 'tests/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
