// @vitest-environment node
// The page's GraphQL documents against the committed schema (../schema.graphql): each must
// validate, and the inputs we build must use exactly the schema's field names.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchema, GraphQLInputObjectType, parse, validate, type GraphQLSchema } from 'graphql';
import { describe, expect, test } from 'vitest';
import {
  BUSINESS,
  PAGE,
  SERVICES_CHANGED,
  SETTINGS_CHANGED,
  SUBMIT_APPLICATION,
  SUBMIT_METRICS,
  type MetricsBatchInput,
} from '../src/api/documents.ts';
import { toInput } from '../src/form/form.ts';
import { FIELDS, type FormValues } from '../src/form/validate.ts';

const schema: GraphQLSchema = buildSchema(
  readFileSync(fileURLToPath(new URL('../../schema.graphql', import.meta.url)), 'utf8'),
);

const inputFields = (name: string) => {
  const type = schema.getType(name);
  if (!(type instanceof GraphQLInputObjectType)) throw new Error(`${name} is not an input type`);
  return Object.keys(type.getFields()).sort();
};

describe('GraphQL documents match schema.graphql', () => {
  test.each([
    ['Page', PAGE],
    ['Business', BUSINESS],
    ['ServicesChanged', SERVICES_CHANGED],
    ['BusinessSettingsChanged', SETTINGS_CHANGED],
    ['SubmitApplication', SUBMIT_APPLICATION],
  ])('%s validates', (_name, document) => {
    expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
  });

  test('the order input uses every ApplicationInput field and nothing else', () => {
    const values = Object.fromEntries(FIELDS.map((f) => [f, 'x'])) as FormValues;
    const input = toInput(values, 'honeypot', 'visit', true);
    expect(Object.keys(input).sort()).toEqual(inputFields('ApplicationInput'));
  });

  // Never skipped: a renamed mutation must fail here, not pass quietly.
  test('SubmitMetrics validates and the batch matches MetricsBatchInput', () => {
    expect(validate(schema, parse(SUBMIT_METRICS)).map((e) => e.message)).toEqual([]);
    const batch: MetricsBatchInput = {
      visitorId: '',
      visitId: '',
      seq: 1,
      page: '/',
      viewportWidth: 100,
      viewportHeight: 100,
      engagedSeconds: 0,
      clicks: [{ element: 'a', count: 1 }],
      points: [{ x: 0, y: 0 }],
      fields: [{ name: 'email', focusCount: 1, focusedMs: 1, lastTouched: true }],
    };
    expect(Object.keys(batch).sort()).toEqual(inputFields('MetricsBatchInput'));
    const [click] = batch.clicks;
    const [point] = batch.points;
    const [field] = batch.fields;
    const typeOf = (fieldName: string) =>
      String(
        (schema.getType('MetricsBatchInput') as GraphQLInputObjectType).getFields()[fieldName]
          ?.type,
      ).replace(/[[\]!]/g, '');
    expect(Object.keys(click ?? {}).sort()).toEqual(inputFields(typeOf('clicks')));
    expect(Object.keys(point ?? {}).sort()).toEqual(inputFields(typeOf('points')));
    expect(Object.keys(field ?? {}).sort()).toEqual(inputFields(typeOf('fields')));
  });
});
