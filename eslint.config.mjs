// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.vscode-test/**', '.venv-engine/**', '*.vsix'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
      'no-console': 'error',
    },
  },
  {
    // The sandbox is a command-line server and the test runners print to the terminal.
    files: ['sandbox/**/*.ts', 'test/**/*.ts', 'scripts/**/*', 'bench/**/*', '*.mjs'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.mjs', 'scripts/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    // src/api, src/replay and src/incidents must stay free of VS Code so they run under plain Node and in benchmarks.
    files: ['src/api/**/*.ts', 'src/replay/**/*.ts', 'src/incidents/**/*.ts', 'src/common/processGroup.ts', 'sandbox/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['vscode'] }] },
  },
);
