// Operations generated from schema.graphql: every root field with minimal valid arguments and
// a small selection, so the authorization matrix follows the schema as it grows.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { repoRoot } from '../support/server.mjs';

export function loadSchema() {
  return buildSchema(readFileSync(join(repoRoot, 'schema.graphql'), 'utf8'));
}

/** A minimal value of an input type: ID → a UUID, String → "x", Int → 1, enums → first value. */
export function minimalValue(type, idFor = () => randomUUID()) {
  if (isNonNullType(type)) return minimalValue(type.ofType, idFor);
  if (isListType(type)) return [minimalValue(type.ofType, idFor)];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    const value = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) && field.defaultValue === undefined) {
        value[field.name] = minimalValue(field.type, idFor);
      }
    }
    return value;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return idFor();
      case 'String':
        return 'x';
      case 'Int':
        return 1;
      case 'Float':
        return 1.0;
      case 'Boolean':
        return true;
      case 'DateTime':
        return new Date().toISOString();
      case 'NaiveDate':
        return new Date().toISOString().slice(0, 10);
      default:
        return 'x';
    }
  }
  throw new Error(`no minimal value for ${type}`);
}

/** `{ __typename <first leaf> }`, or nothing for a leaf type. */
export function minimalSelection(type) {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (!isObjectType(named)) return ' { __typename }';
  const fields = Object.values(named.getFields());
  const leaf = fields.find((f) => f.name === 'id') ?? fields.find((f) => isLeafType(getNamedType(f.type)) && f.args.length === 0);
  return ` { __typename${leaf ? ` ${leaf.name}` : ''} }`;
}

/**
 * Every root field as { kind: 'query'|'mutation'|'subscription', name, field, operation(idFor) }
 * where operation returns { query, variables } with only the required arguments filled.
 */
export function rootFields(schema = loadSchema()) {
  const roots = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
    ['subscription', schema.getSubscriptionType()],
  ];
  const out = [];
  for (const [kind, type] of roots) {
    if (!type) continue;
    for (const field of Object.values(type.getFields())) {
      out.push({
        kind,
        name: field.name,
        field,
        operation(idFor) {
          const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
          const defs = required.map((a) => `$${a.name}: ${a.type}`);
          const args = required.map((a) => `${a.name}: $${a.name}`);
          const variables = Object.fromEntries(required.map((a) => [a.name, minimalValue(a.type, idFor)]));
          const query = `${kind} Op${defs.length ? `(${defs.join(', ')})` : ''} { ${field.name}${
            args.length ? `(${args.join(', ')})` : ''
          }${minimalSelection(field.type)} }`;
          return { query, variables };
        },
      });
    }
  }
  return out;
}

/** The string-typed fields (recursively, with paths) of an input object type. */
export function stringFieldsOf(inputType, prefix = []) {
  const out = [];
  for (const field of Object.values(inputType.getFields())) {
    let t = field.type;
    let list = false;
    while (isNonNullType(t) || isListType(t)) {
      if (isListType(t)) list = true;
      t = t.ofType;
    }
    if (isInputObjectType(t)) out.push(...stringFieldsOf(t, [...prefix, { name: field.name, list }]));
    else if (isScalarType(t) && (t.name === 'String' || t.name === 'ID')) {
      out.push({ path: [...prefix, { name: field.name, list }], scalar: t.name, required: isNonNullType(field.type) });
    }
  }
  return out;
}
