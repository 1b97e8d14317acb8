// Typed GraphQL documents from the server's committed schema. `npm run codegen` writes
// src/gql/; `npm run codegen:check` regenerates into a temporary folder and fails on drift.
// The client preset emits only the types the documents use; `enums.ts` adds every enum of the
// schema, for values that arrive outside a selection (`extensions.reason` of an error).
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
        scalars: { DateTime: 'string', NaiveDate: 'string', NaiveDateTime: 'string' },
        avoidOptionals: false,
        skipTypename: false,
      },
    },
    [`${out}enums.ts`]: {
      plugins: ['typescript'],
      config: { onlyEnums: true, enumsAsTypes: true, useTypeImports: true },
    },
  },
};

export default config;
