import { CombinedError } from '@urql/core';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { describeError, errorCodes, firstError, isUnauthenticated } from './errors';

const gqlError = (message: string, extensions: Record<string, unknown>) =>
  new CombinedError({ graphQLErrors: [new GraphQLError(message, { extensions })] });

describe('GraphQL errors', () => {
  it('reads code and field from the extensions', () => {
    const error = gqlError('A service with this name already exists', {
      code: 'BAD_USER_INPUT',
      field: 'name',
    });
    expect(firstError(error)).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'name',
      message: 'A service with this name already exists',
    });
    expect(errorCodes(error)).toEqual(['BAD_USER_INPUT']);
  });

  it('spots UNAUTHENTICATED', () => {
    expect(isUnauthenticated(gqlError('no', { code: 'UNAUTHENTICATED' }))).toBe(true);
    expect(isUnauthenticated(gqlError('no', { code: 'FORBIDDEN' }))).toBe(false);
    expect(isUnauthenticated(undefined)).toBe(false);
  });

  it('treats a network failure as NETWORK', () => {
    const error = new CombinedError({ networkError: new Error('Failed to fetch') });
    expect(firstError(error)?.code).toBe('NETWORK');
    expect(describeError({ code: 'NETWORK', field: null, message: 'x' })).toEqual({
      key: 'error.network',
    });
  });

  it('translates the setup code refusals', () => {
    const setupCode = (message: string) =>
      describeError({ code: 'BAD_USER_INPUT', field: 'setupCode', message });
    expect(
      setupCode('The setup code is required: the server prints it in its log at start'),
    ).toEqual({ key: 'error.setupCodeRequired' });
    expect(setupCode("The setup code is wrong: copy it from the server's log")).toEqual({
      key: 'error.setupCodeWrong',
    });
  });

  it('translates known messages and codes, passes the rest through', () => {
    expect(
      describeError({
        code: 'BAD_USER_INPUT',
        field: 'lostReason',
        message: 'Say why the lead was lost',
      }),
    ).toEqual({ key: 'error.lostReasonRequired' });
    expect(describeError({ code: 'RATE_LIMITED', field: null, message: 'Too many' })).toEqual({
      key: 'error.rateLimited',
    });
    expect(
      describeError({
        code: 'BAD_USER_INPUT',
        field: 'name',
        message: 'Name must be at most 255 characters',
      }),
    ).toEqual({ key: 'error.tooLong', params: { count: 255 } });
    expect(
      describeError({
        code: 'BAD_USER_INPUT',
        field: 'to',
        message: 'The end is before the start',
      }),
    ).toEqual({ key: 'error.rangeReversed' });
    expect(
      describeError({
        code: 'BAD_USER_INPUT',
        field: 'name',
        message: 'Name contains control characters',
      }),
    ).toEqual({ key: 'error.controlChars' });
    expect(describeError({ code: 'BAD_USER_INPUT', field: 'x', message: 'Something new' })).toEqual(
      { text: 'Something new' },
    );
  });
});
