// The hostile corpus: requests an attacker, a fuzzer or a broken client sends to POST /graphql
// and the WebSocket. Each case is { id, group, name, run(target) → response, ...what to check }.
// `target` is { url, graphqlUrl, wsUrl, port }.
import { randomUUID } from 'node:crypto';
import { rawExchange, rawPost, parseRawResponse, send } from './http.mjs';
import { openSocket } from './ws.mjs';

export const SUBMIT_APPLICATION =
  'mutation Submit($input: ApplicationInput!) { submitApplication(input: $input) { id createdAt } }';
export const SUBMIT_METRICS = 'mutation Track($input: MetricsBatchInput!) { submitMetrics(input: $input) }';

export const SQL = [
  "' OR '1'='1",
  "'; DROP TABLE applications; --",
  '" OR 1=1 --',
  '1; SELECT pg_sleep(30); --',
  "') UNION SELECT password_hash, email FROM admins --",
  "admin'--",
  "%' AND 1=0 UNION SELECT NULL --",
  "\\'; DELETE FROM services; --",
  "1' AND (SELECT COUNT(*) FROM sqlite_master) > 0 --",
  "$$; COPY applications TO PROGRAM 'id'; $$",
  "x'); INSERT INTO admins (email) VALUES ('evil@example.com'); --",
];
export const SCRIPT = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(document.cookie)>',
  'javascript:alert(1)',
  '{{7*7}}${7*7}<%= 7*7 %>',
  '=HYPERLINK("http://evil.example","x")',
  "+cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  '<svg/onload=alert(1)>',
  '</textarea><script>x</script>',
  '-2+3+cmd|\'/C calc\'!A0',
];
/** Control characters other than line breaks and tabs: every text field refuses them. */
export const CONTROL = ['a\u0000b', 'a\u0007b', '\u001b[31mred\u001b[0m', 'a\u007fb', 'a\u0085b', 'a\u0008b'];
/** Bidirectional overrides, isolates and marks: every form text field refuses them. */
export const BIDI = ['\u202Egnp.exe', 'a\u202Db', 'a\u2066b\u2069', 'a\u200Fb', 'a\u061Cb', 'a\u202Ab'];
/** Invisible characters: names and contacts refuse them. */
export const INVISIBLE = ['a\u200Bb', '\uFEFFa', 'a\u00ADb'];
export const TOO_LONG = ['x'.repeat(5001), 'y'.repeat(100_000)];
export const ODD = [
  'x'.repeat(101),
  'я'.repeat(101),
  '',
  '   ',
  '\n\t',
  '😀'.repeat(30),
  'e\u0301',
  'a\ud800b', // a lone surrogate: JSON.stringify writes it as \ud800
  '\uFFFF',
  'Анна-Мария О\'Нил',
];
/** Not strings at all, where a String is expected. */
export const WRONG_TYPES = [12345, true, null, {}, [], ['x'], 1e308, { $ne: '' }];
/** Raw bytes that are not UTF-8, put inside a JSON string. */
export const INVALID_UTF8 = [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82]];

const IDENTITY_FIELDS = new Set(['name', 'surname', 'patronymic', 'email', 'phone']);
const APPLICATION_FIELDS = [
  'name',
  'surname',
  'patronymic',
  'email',
  'phone',
  'serviceId',
  'businessInfo',
  'businessNiche',
  'companySize',
  'budget',
  'deadline',
  'convenientTime',
  'preferredContactMethod',
  'additionalComments',
  'visitId',
  'website',
];

const jsonHeaders = { 'content-type': 'application/json' };

function post(target, body, headers = jsonHeaders) {
  return send(target.graphqlUrl, { headers, body });
}

/** A valid order marked with the case number (in `name`, or `surname` when `name` is tested). */
export function baseApplication(n, field) {
  const input = { name: `Sec${n}`, surname: 'Probe', email: `sec${n}@example.com`, consent: true };
  if (field === 'name') input.surname = `Sec${n}`;
  return input;
}

export function baseBatch() {
  return {
    visitorId: randomUUID(),
    visitId: randomUUID(),
    seq: 1,
    page: '/',
    viewportWidth: 1280,
    viewportHeight: 800,
    engagedSeconds: 5,
    clicks: [{ element: 'cta', count: 1 }],
    points: [{ x: 0.5, y: 100 }],
    fields: [{ name: 'email', focusCount: 1, focusedMs: 100 }],
  };
}

/** What a case expects beyond "no 5xx, no hang": `refuse` = must be refused, with `code`. */
function describePayload(value) {
  if (typeof value !== 'string') return JSON.stringify(value);
  const shown = value.length > 40 ? `${value.slice(0, 20)}…(${value.length} chars)` : value;
  return JSON.stringify(shown);
}

export function buildCorpus() {
  const cases = [];
  let n = 0;
  const add = (c) => {
    n += 1;
    cases.push({ id: n, ...c });
    return n;
  };

  // 1. Every public form field × every hostile string (and non-string value).
  const applicationPayloads = [
    ...SQL.map((v) => ['sql', v]),
    ...SCRIPT.map((v) => ['script', v]),
    ...CONTROL.map((v) => ['control', v]),
    ...BIDI.map((v) => ['bidi', v]),
    ...INVISIBLE.map((v) => ['invisible', v]),
    ...TOO_LONG.map((v) => ['too-long', v]),
    ...ODD.map((v) => ['odd', v]),
    ...WRONG_TYPES.map((v) => ['wrong-type', v]),
  ];
  for (const field of APPLICATION_FIELDS) {
    for (const [kind, payload] of applicationPayloads) {
      const id = n + 1;
      const input = { ...baseApplication(id, field), [field]: payload };
      let refuse;
      if (field !== 'website') {
        if (kind === 'control' || kind === 'bidi' || kind === 'too-long') refuse = 'BAD_USER_INPUT';
        if (kind === 'invisible' && IDENTITY_FIELDS.has(field)) refuse = 'BAD_USER_INPUT';
      }
      add({
        group: `submitApplication.${kind}`,
        name: `submitApplication input.${field} = ${describePayload(payload)}`,
        effect: 'order',
        field,
        payload,
        input,
        refuse,
        literal: (kind === 'sql' || kind === 'script') && !['website', 'serviceId', 'visitId'].includes(field),
        run: (t) => post(t, JSON.stringify({ query: SUBMIT_APPLICATION, variables: { input } })),
      });
    }
    // The same, with bytes that are not UTF-8 inside the JSON string.
    for (const bytes of INVALID_UTF8) {
      const input = { ...baseApplication(n + 1, field), [field]: '@@BYTES@@' };
      const text = JSON.stringify({ query: SUBMIT_APPLICATION, variables: { input } });
      const [before, after] = text.split('@@BYTES@@');
      add({
        group: 'submitApplication.invalid-utf8',
        name: `submitApplication input.${field} with bytes ${bytes.map((b) => b.toString(16)).join(' ')}`,
        effect: 'order',
        refuseStatus: 400,
        run: (t) => post(t, Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)])),
      });
    }
  }
  // Hostile strings written into the document as literals instead of variables.
  for (const payload of [...SQL, ...SCRIPT, ...CONTROL.slice(0, 2), ...BIDI.slice(0, 2)]) {
    const id = n + 1;
    const input = { name: `Sec${id}`, surname: 'Probe', email: `sec${id}@example.com`, additionalComments: payload, consent: true };
    const literal = `{ name: ${JSON.stringify(input.name)}, surname: "Probe", email: ${JSON.stringify(input.email)}, additionalComments: ${JSON.stringify(payload)}, consent: true }`;
    const isBad = CONTROL.includes(payload) || BIDI.includes(payload);
    add({
      group: 'submitApplication.inline',
      name: `submitApplication inline additionalComments = ${describePayload(payload)}`,
      effect: 'order',
      field: 'additionalComments',
      payload,
      input,
      refuse: isBad ? 'any' : undefined,
      literal: !isBad,
      run: (t) => post(t, JSON.stringify({ query: `mutation { submitApplication(input: ${literal}) { id createdAt } }` })),
    });
  }
  // Missing and misnamed fields, wrong input shapes.
  const shapes = [
    ['no input', {}],
    ['input null', { input: null }],
    ['input a string', { input: 'x' }],
    ['input a list', { input: [baseApplication(0)] }],
    ['name missing', { input: { surname: 'P', email: 'a@example.com' } }],
    ['email missing', { input: { name: 'A', surname: 'P' } }],
    ['unknown field', { input: { ...baseApplication(0), isAdmin: true } }],
    ['__proto__ field', { input: JSON.parse('{"name":"A","surname":"P","email":"a@example.com","__proto__":{"x":1}}') }],
    ['score smuggled', { input: { ...baseApplication(0), score: 100, priority: 'URGENT' } }],
  ];
  for (const [label, variables] of shapes) {
    add({
      group: 'submitApplication.shape',
      name: `submitApplication ${label}`,
      effect: 'order',
      refuse: 'any',
      run: (t) => post(t, JSON.stringify({ query: SUBMIT_APPLICATION, variables })),
    });
  }

  // 2. The tracker's batch: every string × hostile strings, and every number × hostile numbers.
  const metricStrings = [
    ['visitorId', (b, v) => (b.visitorId = v)],
    ['visitId', (b, v) => (b.visitId = v)],
    ['page', (b, v) => (b.page = v)],
    ['clicks.element', (b, v) => (b.clicks[0].element = v)],
    ['fields.name', (b, v) => (b.fields[0].name = v)],
  ];
  const metricPayloads = [
    ...SQL.map((v) => ['sql', v]),
    ...SCRIPT.map((v) => ['script', v]),
    ...CONTROL.map((v) => ['control', v]),
    ...BIDI.map((v) => ['bidi', v]),
    ...TOO_LONG.map((v) => ['too-long', v]),
    ...ODD.map((v) => ['odd', v]),
    ...WRONG_TYPES.map((v) => ['wrong-type', v]),
  ];
  for (const [field, set] of metricStrings) {
    for (const [kind, payload] of metricPayloads) {
      const batch = baseBatch();
      set(batch, payload);
      add({
        group: `submitMetrics.${kind}`,
        name: `submitMetrics ${field} = ${describePayload(payload)}`,
        effect: 'metrics',
        field,
        payload,
        batch,
        // A field name is one of the form's fields: anything else is refused.
        refuse: kind === 'control' || kind === 'too-long' || (field === 'fields.name' && kind !== 'wrong-type') ? 'BAD_USER_INPUT' : undefined,
        run: (t) => post(t, JSON.stringify({ query: SUBMIT_METRICS, variables: { input: batch } })),
      });
    }
  }
  const metricNumbers = [
    ['seq', (b, v) => (b.seq = v)],
    ['viewportWidth', (b, v) => (b.viewportWidth = v)],
    ['viewportHeight', (b, v) => (b.viewportHeight = v)],
    ['engagedSeconds', (b, v) => (b.engagedSeconds = v)],
    ['clicks.count', (b, v) => (b.clicks[0].count = v)],
    ['points.x', (b, v) => (b.points[0].x = v)],
    ['points.y', (b, v) => (b.points[0].y = v)],
    ['fields.focusCount', (b, v) => (b.fields[0].focusCount = v)],
    ['fields.focusedMs', (b, v) => (b.fields[0].focusedMs = v)],
  ];
  const numbers = [-1, 0, 2147483647, 2147483648, -2147483649, 1e308, 0.5, Number.MAX_SAFE_INTEGER, '1', null];
  for (const [field, set] of metricNumbers) {
    for (const value of numbers) {
      const batch = baseBatch();
      set(batch, value);
      add({
        group: 'submitMetrics.numbers',
        name: `submitMetrics ${field} = ${JSON.stringify(value)}`,
        effect: 'metrics',
        batch,
        run: (t) => post(t, JSON.stringify({ query: SUBMIT_METRICS, variables: { input: batch } })),
      });
    }
  }
  // Oversized lists.
  for (const [label, mutate] of [
    ['201 points', (b) => (b.points = Array.from({ length: 201 }, (_, i) => ({ x: 0.5, y: i })))],
    ['51 clicks', (b) => (b.clicks = Array.from({ length: 51 }, (_, i) => ({ element: `e${i}`, count: 1 })))],
    ['51 fields', (b) => (b.fields = Array.from({ length: 51 }, (_, i) => ({ name: `f${i}`, focusCount: 1, focusedMs: 1 })))],
    ['5000 points', (b) => (b.points = Array.from({ length: 5000 }, (_, i) => ({ x: 0.5, y: i })))],
  ]) {
    const batch = baseBatch();
    mutate(batch);
    add({
      group: 'submitMetrics.lists',
      name: `submitMetrics ${label}`,
      effect: 'metrics',
      batch,
      refuse: 'any',
      run: (t) => post(t, JSON.stringify({ query: SUBMIT_METRICS, variables: { input: batch } })),
    });
  }

  // 3. Sign-in and first-run registration with hostile strings (an admin exists: nothing is
  // created and nobody is signed in).
  for (const payload of [...SQL, ...SCRIPT.slice(0, 3), CONTROL[0], BIDI[0], TOO_LONG[1]]) {
    for (const [label, query, variables] of [
      ['login email', 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: payload, p: 'x' }],
      ['login password', 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: 'owner@example.com', p: payload }],
      ['registerAdmin email', 'mutation($e: String!, $p: String!) { registerAdmin(email: $e, password: $p) { token } }', { e: payload, p: 'long enough password 1' }],
    ]) {
      add({
        group: 'auth.strings',
        name: `${label} = ${describePayload(payload)}`,
        refuse: 'any',
        run: (t) => post(t, JSON.stringify({ query, variables })),
      });
    }
  }

  // 4. Media types: a valid order sent as anything but application/json stores nothing.
  const contentTypes = [
    undefined,
    '',
    'text/plain',
    'text/plain;charset=UTF-8',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/graphql',
    'application/graphql-response+json',
    'application/xml',
    'text/html',
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'application/jsonx',
    'application/json-patch+json',
    'json',
    'application/json; charset',
    '*/*',
    'application/*',
  ];
  for (const contentType of contentTypes) {
    const id = n + 1;
    const headers = contentType === undefined ? {} : { 'content-type': contentType };
    add({
      group: 'media.content-type',
      name: `Content-Type ${JSON.stringify(contentType ?? '(none)')}`,
      effect: 'order',
      refuseStatus: 415,
      run: (t) => post(t, JSON.stringify({ query: SUBMIT_APPLICATION, variables: { input: baseApplication(id) } }), headers),
    });
  }
  for (const accept of ['text/html', 'image/png', 'application/xml', 'text/plain', 'application/graphql-response+json;q=0']) {
    const id = n + 1;
    add({
      group: 'media.accept',
      name: `Accept ${accept}`,
      effect: 'order',
      refuseStatus: 406,
      run: (t) =>
        post(t, JSON.stringify({ query: SUBMIT_APPLICATION, variables: { input: baseApplication(id) } }), {
          ...jsonHeaders,
          accept,
        }),
    });
  }
  for (const method of ['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
    const id = n + 1;
    add({
      group: 'media.method',
      name: `${method} /graphql with an order`,
      effect: 'order',
      refuseStatus: method === 'GET' ? 405 : 'any',
      run: (t) => {
        const body = JSON.stringify({ query: SUBMIT_APPLICATION, variables: { input: baseApplication(id) } });
        return method === 'GET' || method === 'OPTIONS'
          ? send(`${t.graphqlUrl}?query=${encodeURIComponent(SUBMIT_APPLICATION)}`, { method })
          : send(t.graphqlUrl, { method, headers: jsonHeaders, body });
      },
    });
  }

  // 5. Malformed JSON and wrong request parameters: 400 BAD_REQUEST.
  const badBodies = [
    '',
    '{',
    '{"query": "{ __typename }"',
    '{"query": "{ __typename }"} trailing',
    "{'query': '{ __typename }'}",
    '{"query": "{ __typename }", }',
    '{"query": NaN}',
    '/* c */ {"query": "{ __typename }"}',
    'null',
    'true',
    '42',
    '"{ __typename }"',
    '[]',
    '[{"query": "{ __typename }"}]',
    JSON.stringify(Array.from({ length: 100 }, () => ({ query: SUBMIT_APPLICATION, variables: { input: baseApplication(0) } }))),
    '{"query": 1}',
    '{"query": null}',
    '{"query": {}}',
    '{"query": ["{ __typename }"]}',
    '{}',
    '{"variables": {}}',
    '{"query": "{ __typename }", "variables": "x"}',
    '{"query": "{ __typename }", "variables": []}',
    '{"query": "{ __typename }", "variables": 1}',
    '{"query": "{ __typename }", "operationName": 1}',
    '{"query": "{ __typename }", "operationName": {}}',
    '{"query": "{ __typename }", "extensions": "x"}',
    '\uFEFF{"query": "{ __typename }"}',
    '{"query": "\\ud800"}',
    `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    `{"query": "{ __typename }", "variables": ${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`,
    `{"query": "{ __typename }", "variables": {"a": ${'['.repeat(200)}1${']'.repeat(200)}}}`,
  ];
  for (const body of badBodies) {
    add({
      group: 'json.malformed',
      name: `body ${describePayload(body)}`,
      refuse: 'any',
      run: (t) => post(t, body),
    });
  }
  // Deep but legal JSON (serde_json allows 128 levels): answered, whatever the answer.
  add({
    group: 'json.deep',
    name: 'variables with a list nested 120 deep',
    run: (t) => post(t, `{"query": "{ __typename }", "variables": {"a": ${'['.repeat(120)}1${']'.repeat(120)}}}`),
  });
  for (const bytes of INVALID_UTF8) {
    add({
      group: 'json.invalid-utf8',
      name: `query with bytes ${bytes.map((b) => b.toString(16)).join(' ')}`,
      refuseStatus: 400,
      run: (t) =>
        post(t, Buffer.concat([Buffer.from('{"query": "{ __typename '), Buffer.from(bytes), Buffer.from(' }"}')])),
    });
  }

  // 6. Documents: syntax, depth, and the bombs that are bounded before expansion.
  const fragmentDoubling = (count, on = 'Query', leaf = '__typename') =>
    `${Array.from({ length: count }, (_, i) => `fragment F${i} on ${on} { ...F${i + 1} ...F${i + 1} }`).join('\n')}\nfragment F${count} on ${on} { ${leaf} }`;
  const documents = [
    ['syntax: unclosed', '{'],
    ['syntax: stray brace', '}'],
    ['syntax: garbage', '%%% DROP TABLE %%%'],
    ['syntax: NUL inside', '{ __type\u0000name }'],
    ['syntax: huge name', `{ ${'a'.repeat(200_000)} }`],
    ['syntax: huge int literal', '{ leads(first: 99999999999999999999999999) { totalCount } }'],
    ['syntax: huge float literal', '{ metricStats(days: 1e400) { conversionRate } }'],
    ['syntax: unterminated string', '{ services(x: "abc) { id } }'],
    ['two anonymous operations', '{ __typename } { __typename }'],
    ['unknown operation name', '{ __typename }', 'Nope'],
    ['subscription over POST', 'subscription { servicesChanged { id } }'],
    ['leadCreated over POST', 'subscription { leadCreated { id } }'],
    ['30 doubling fragments (2^30 fields)', `{ ...F0 }\n${fragmentDoubling(30)}`],
    ['12 doubling fragments (4096 fields)', `{ ...F0 }\n${fragmentDoubling(12)}`],
    ['51 fragments', `{ ...G0 }\n${Array.from({ length: 51 }, (_, i) => `fragment G${i} on Query { ${i < 50 ? `...G${i + 1}` : '__typename'} }`).join('\n')}`],
    ['fragment cycle (self)', '{ ...A } fragment A on Query { ...A }'],
    ['fragment cycle (two)', '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }'],
    ['fragment cycle (40 long)', `{ ...C0 }\n${Array.from({ length: 40 }, (_, i) => `fragment C${i} on Query { ...C${(i + 1) % 40} }`).join('\n')}`],
    ['unused fragment cycle', '{ __typename } fragment A on Query { ...B } fragment B on Query { ...A }'],
    ['51 aliases', `{ ${Array.from({ length: 51 }, (_, i) => `a${i}: __typename`).join(' ')} }`],
    ['10000 aliases', `{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}: services { id }`).join(' ')} }`],
    ['10000 aliases of adminExists', `{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}: adminExists`).join(' ')} }`],
    ['51 directives', `{ __typename ${'@include(if: true) '.repeat(51)} }`],
    ['5000 directives', `{ __typename ${'@skip(if: false) '.repeat(5000)} }`],
    ['4001 tokens', `{ ${'__typename '.repeat(4001)} }`],
    ['30000 tokens', `{ ${'__typename '.repeat(30_000)} }`],
    ['2001 selections (no aliases)', `{ ${'__typename '.repeat(2001)} }`],
    ['deep inline fragments (500)', `{ ${'... on Query { '.repeat(500)}__typename${' }'.repeat(500)} }`],
    ['deep inline fragments (20000)', `{ ${'... on Query { '.repeat(20_000)}__typename${' }'.repeat(20_000)} }`],
    ['deep selection sets (10000)', `{ ${'services { '.repeat(10_000)}id${' }'.repeat(10_000)} }`],
    ['deep list literal (10000)', `{ services(x: ${'['.repeat(10_000)}1${']'.repeat(10_000)}) { id } }`],
    ['deep object literal (10000)', `{ services(x: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}) { id } }`],
    ['deep introspection', `{ __schema { types { fields { type { ${'ofType { '.repeat(30)}name${' }'.repeat(30)} } } } } }`],
    ['introspection fan-out', `{ ${Array.from({ length: 40 }, (_, i) => `s${i}: __schema { types { name fields { name args { name } } } }`).join(' ')} }`],
    ['1000 operations', Array.from({ length: 1000 }, (_, i) => `query Q${i} { __typename }`).join('\n'), 'Q999'],
    ['1000 variables', `query(${Array.from({ length: 1000 }, (_, i) => `$v${i}: Int`).join(', ')}) { __typename }`],
    ['undeclared variable', 'query { leads(first: $n) { totalCount } }'],
    ['mutation on query type', 'mutation { adminExists }'],
    ['metricStats days hostile', '{ metricStats(days: 2147483647, page: "\' OR 1=1 --") { conversionRate } }'],
    ['leads first hostile', '{ leads(first: -1, after: "\' OR 1=1 --") { totalCount } }'],
  ];
  // Legal documents: answered, whatever the answer (introspection is allowed in development).
  const mayRun = new Set(['1000 operations', 'introspection fan-out', 'deep introspection']);
  for (const [label, query, operationName] of documents) {
    const body = { query, ...(operationName ? { operationName } : {}) };
    add({
      group: 'document',
      name: label,
      refuse: mayRun.has(label) ? undefined : 'any',
      run: (t) => post(t, JSON.stringify(body)),
    });
  }
  // Document bounds must say GRAPHQL_VALIDATION_FAILED exactly.
  for (const [label, query] of [
    ['bound: tokens', `{ ${'__typename '.repeat(4001)} }`],
    ['bound: fragments', `{ ${Array.from({ length: 51 }, (_, i) => `...H${i}`).join(' ')} }\n${Array.from({ length: 51 }, (_, i) => `fragment H${i} on Query { __typename }`).join('\n')}`],
    ['bound: aliases', `{ ${Array.from({ length: 51 }, (_, i) => `a${i}: __typename`).join(' ')} }`],
    ['bound: directives', `{ __typename ${'@include(if: true) '.repeat(51)} }`],
    ['bound: expanded selections', `{ ...F0 }\n${fragmentDoubling(30)}`],
    ['bound: fragment cycle', '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }'],
  ]) {
    add({
      group: 'document.bounds',
      name: label,
      refuse: 'GRAPHQL_VALIDATION_FAILED',
      run: (t) => post(t, JSON.stringify({ query })),
    });
  }

  // 7. Size: over 256 KiB announced, chunked, or far over; lying lengths.
  const bigOrder = (size) =>
    Buffer.from(
      JSON.stringify({
        query: SUBMIT_APPLICATION,
        variables: { input: { ...baseApplication(0), additionalComments: 'z'.repeat(size) } },
      }),
    );
  // A chunked body far over the limit may be cut off after the 413 was sent: the client,
  // still writing, can see the connection reset before it reads the answer.
  for (const [label, size, chunked, status] of [
    ['256 KiB + 1 (Content-Length)', 256 * 1024 + 1, false, 413],
    ['256 KiB + 1 (chunked)', 256 * 1024 + 1, true, [413, undefined]],
    ['1 MiB (Content-Length)', 1024 * 1024, false, 413],
    ['8 MiB (chunked)', 8 * 1024 * 1024, true, [413, undefined]],
  ]) {
    add({
      group: 'size',
      name: `body ${label}`,
      effect: 'order',
      refuseStatus: status,
      protocolLevel: true,
      run: (t) => rawPost(t.port, { headers: jsonHeaders, body: bigOrder(size), chunked }),
    });
  }
  add({
    group: 'size',
    name: 'body just under 256 KiB (a 250 KiB comment)',
    effect: 'order',
    refuse: 'BAD_USER_INPUT',
    run: (t) => rawPost(t.port, { headers: jsonHeaders, body: bigOrder(250 * 1024) }),
  });
  add({
    group: 'size',
    name: 'Content-Length announces 10 GiB',
    refuseStatus: 413,
    run: (t) => rawPost(t.port, { headers: jsonHeaders, body: Buffer.from('{"query":"{ __typename }"}'), contentLength: 10 * 1024 ** 3 }),
  });
  add({
    group: 'size',
    name: 'Content-Length announces more than is sent (stalls)',
    protocolLevel: true,
    refuseStatus: 'any',
    run: (t) => rawPost(t.port, { headers: jsonHeaders, body: Buffer.from('{"query":"{ __typename }"}'), contentLength: 1000 }),
  });
  add({
    group: 'size',
    name: 'Content-Length less than is sent',
    protocolLevel: true,
    refuseStatus: 'any',
    run: (t) => rawPost(t.port, { headers: jsonHeaders, body: Buffer.from('{"query":"{ __typename }"} GARBAGE GARBAGE'), contentLength: 10 }),
  });
  add({
    group: 'size',
    name: 'negative Content-Length',
    protocolLevel: true,
    refuseStatus: 'any',
    run: (t) => rawPost(t.port, { headers: jsonHeaders, body: Buffer.from('{"query":"{ __typename }"}'), contentLength: -5 }),
  });
  add({
    group: 'size',
    name: 'chunked with a bogus chunk size',
    protocolLevel: true,
    refuseStatus: 'any',
    run: async (t) =>
      parseRawResponse(
        await rawExchange(
          t.port,
          Buffer.from(
            'POST /graphql HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\n{}\r\n0\r\n\r\n',
          ),
        ),
      ),
  });
  add({
    group: 'size',
    name: 'both Content-Length and chunked (request smuggling shape)',
    protocolLevel: true,
    run: async (t) =>
      parseRawResponse(
        await rawExchange(
          t.port,
          Buffer.from(
            'POST /graphql HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n1a\r\n{"query":"{ __typename }"}\r\n0\r\n\r\n',
          ),
        ),
      ),
  });
  add({
    group: 'size',
    name: '64 KiB header',
    protocolLevel: true,
    run: (t) => rawPost(t.port, { headers: { ...jsonHeaders, 'x-big': 'h'.repeat(64 * 1024) }, body: Buffer.from('{"query":"{ __typename }"}') }),
  });

  // 8. The WebSocket: hostile frames before and after connection_init.
  const wsCases = [
    ['text that is not JSON', async (ws) => ws.sendRaw('not json')],
    ['binary frame', async (ws) => ws.sendRaw(Buffer.from([0, 1, 2, 255]))],
    // graphql-transport-ws: "4401: Unauthorized" for a subscribe before the connection is acknowledged.
    ['subscribe before connection_init', async (ws) => ws.sendJson({ id: '1', type: 'subscribe', payload: { query: '{ __typename }' } }), undefined, 4401],
    ['unknown message type', async (ws) => ws.sendJson({ type: 'hack' })],
    ['connection_init twice', async (ws) => {
      await ws.init({});
      ws.sendJson({ type: 'connection_init' });
    }],
    ['connection_init with a huge payload', async (ws) => ws.sendJson({ type: 'connection_init', payload: { Authorization: `Bearer ${'a'.repeat(200_000)}` } })],
    ['message over 256 KiB', async (ws) => ws.sendRaw(JSON.stringify({ type: 'connection_init', payload: { x: 'a'.repeat(300 * 1024) } }))],
    ['connection_init payload a string', async (ws) => ws.sendJson({ type: 'connection_init', payload: 'Bearer x' })],
    ['connection_init payload nested deep', async (ws) => ws.sendRaw(`{"type":"connection_init","payload":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`)],
    ['fragment bomb subscribe', async (ws) => {
      await ws.init({});
      return ws.operation(`subscription { servicesChanged { id } ...F0 }\n${fragmentDoubling(30, 'Subscription')}`);
    }, 'GRAPHQL_VALIDATION_FAILED'],
    ['fragment cycle subscribe', async (ws) => {
      await ws.init({});
      return ws.operation('subscription { ...A } fragment A on Subscription { ...B } fragment B on Subscription { ...A }');
    }, 'GRAPHQL_VALIDATION_FAILED'],
    ['51 aliases subscribe', async (ws) => {
      await ws.init({});
      return ws.operation(`subscription { ${Array.from({ length: 51 }, (_, i) => `a${i}: servicesChanged { id }`).join(' ')} }`);
    }, 'GRAPHQL_VALIDATION_FAILED'],
    ['4001 tokens subscribe', async (ws) => {
      await ws.init({});
      return ws.operation(`subscription { servicesChanged { ${'id '.repeat(4001)} } }`);
    }, 'GRAPHQL_VALIDATION_FAILED'],
    ['51 directives subscribe', async (ws) => {
      await ws.init({});
      return ws.operation(`subscription { servicesChanged { id ${'@include(if: true) '.repeat(51)} } }`);
    }, 'GRAPHQL_VALIDATION_FAILED'],
    ['51 fragments subscribe', async (ws) => {
      await ws.init({});
      return ws.operation(`subscription { servicesChanged { ...G0 } }\n${Array.from({ length: 51 }, (_, i) => `fragment G${i} on Service { ${i < 50 ? `...G${i + 1}` : 'id'} }`).join('\n')}`);
    }, 'GRAPHQL_VALIDATION_FAILED'],
    ['subscribe with a non-string query', async (ws) => {
      await ws.init({});
      ws.sendJson({ id: 'q', type: 'subscribe', payload: { query: 1 } });
    }],
    ['subscribe without an id', async (ws) => {
      await ws.init({});
      ws.sendJson({ type: 'subscribe', payload: { query: '{ __typename }' } });
    }],
    ['the same id subscribed twice', async (ws) => {
      await ws.init({});
      ws.sendJson({ id: 'same', type: 'subscribe', payload: { query: 'subscription { servicesChanged { id } }' } });
      ws.sendJson({ id: 'same', type: 'subscribe', payload: { query: 'subscription { servicesChanged { id } }' } });
    }],
    ['25 subscriptions on one socket', async (ws) => {
      await ws.init({});
      for (let i = 0; i < 25; i += 1) ws.sendJson({ id: `s${i}`, type: 'subscribe', payload: { query: 'subscription { servicesChanged { id } }' } });
    }],
    // The socket serves subscriptions only: an order (and any query) goes over HTTP.
    ['an order by WebSocket', async (ws) => {
      await ws.init({});
      return ws.operation(SUBMIT_APPLICATION, { input: baseApplication(0) });
    }, 'GRAPHQL_VALIDATION_FAILED'],
    ['50 aliased queries by WebSocket', async (ws) => {
      await ws.init({});
      return ws.operation(`{ ${Array.from({ length: 50 }, (_, i) => `a${i}: services { id }`).join(' ')} }`);
    }, 'GRAPHQL_VALIDATION_FAILED'],
  ];
  const refusedUpgrade = (ws) => {
    let json;
    try {
      json = JSON.parse(ws.body);
    } catch {
      json = undefined;
    }
    return { status: ws.refused, text: ws.body, json };
  };
  for (const [label, act, code, closeCode] of wsCases) {
    add({
      group: 'websocket',
      name: `WebSocket: ${label}`,
      ws: true,
      code,
      closeCode,
      run: async (t) => {
        const ws = await openSocket(t.wsUrl);
        if (ws.refused) return refusedUpgrade(ws);
        try {
          const result = await act(ws);
          // Let the server answer (or close); nothing here waits for time to pass as a check.
          await ws.waitFor(() => false, 300);
          return { status: 101, ws: { result, closed: ws.closed, messages: ws.messages } };
        } finally {
          await ws.close();
        }
      },
    });
  }
  add({
    group: 'websocket',
    name: 'WebSocket upgrade without a subprotocol',
    run: async (t) => {
      const ws = await openSocket(t.wsUrl, { protocol: null });
      if (ws.refused) return refusedUpgrade(ws);
      await ws.close();
      return { status: 101, ws: {} };
    },
  });
  add({
    group: 'websocket',
    name: 'WebSocket upgrade with an unknown subprotocol',
    run: async (t) => {
      const ws = await openSocket(t.wsUrl, { protocol: 'evil-protocol' });
      if (ws.refused) return refusedUpgrade(ws);
      await ws.close();
      return { status: 101, ws: {} };
    },
  });
  return cases;
}
