// Typed GraphQL documents from the server's committed schema. `npm run codegen` writes
// src/gql/; `npm run codegen:check` regenerates into a temporary folder and fails on drift.
import type { CodegenConfig } from '@graphql-codegen/cli';

const out = process.env.CODEGEN_OUT ?? './src/gql/';

const config: CodegenConfig = {
  schema: '../schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: false,
  generates: {
    [out]: {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: { DateTime: 'string', NaiveDate: 'string' },
        avoidOptionals: false,
        skipTypename: false,
      },
    },
  },
};

export default config;
