import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'prisma/generated/', 'test-results/', 'bench-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', window: 'readonly', document: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // pure decisions: each module's core/, and the shared HTTP layer's pure files (common/http/)
    files: [
      '*/core/**/*.ts',
      'common/http/access.ts',
      'common/http/customer-view.ts',
      'common/http/nul-bytes.ts',
      'common/http/session.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'fastify*',
                '@fastify/*',
                'mqtt',
                'aedes*',
                '@prisma/*',
                '*/generated/*',
                '@influxdata/*',
                'socket.io*',
                'pg',
              ],
              message:
                'core/ (and the pure files of common/http/) hold pure decisions: keep I/O frameworks out (see docs/adr/0002-pure-cores-and-ports.md).',
            },
          ],
        },
      ],
    },
  },
);
