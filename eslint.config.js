import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '**/.venv/', '**/.venv-*/', '__tests__/fixtures/', 'examples/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    // Lines that may carry data must never become workflow commands: the action prints only through src/log.ts
    // and src/annotate.ts.
    files: ['src/**/*.ts'],
    ignores: ['src/log.ts', 'src/annotate.ts', 'src/preload/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "MemberExpression[object.name='core'][property.name=/^(info|notice|warning|error|debug|setFailed)$/]",
          message:
            'Print through src/log.ts (printLines) or src/annotate.ts (annotate, fail), which keep data from workflow commands.',
        },
        {
          selector: "MemberExpression[object.name='process'][property.name=/^(stdout|stderr)$/]",
          message:
            'Print through src/log.ts (printLines) or src/annotate.ts (annotate, fail), which keep data from workflow commands.',
        },
        {
          selector: "MemberExpression[object.name='console']",
          message:
            'Print through src/log.ts (printLines) or src/annotate.ts (annotate, fail), which keep data from workflow commands.',
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly' } },
  },
);
