// Prints a GraphQL document exactly as the admin SPA's client sends it: parsed without
// locations (as the generated documents are), run through urql's formatDocument (which adds
// `__typename` to every selection set) and printed by urql's stringifyDocument.
// Reads the document text on stdin; resolves @urql/core and graphql from admin-spa/node_modules.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const spa = new URL('../admin-spa/package.json', import.meta.url);
const require = createRequire(spa);
const { parse } = require('graphql');
const { formatDocument, stringifyDocument } = require('@urql/core');

const text = readFileSync(0, 'utf8');
process.stdout.write(stringifyDocument(formatDocument(parse(text, { noLocation: true }))));
