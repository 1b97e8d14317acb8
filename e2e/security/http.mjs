// Plain HTTP for the security suite: every request carries a generous AbortSignal timeout,
// which only detects a hang (a request the server never answers); nothing asserts on time.
import net from 'node:net';

export const HANG_MS = 20_000;

/**
 * Sends one request and reads the whole answer. `body` may be a string, a Buffer, or an
 * async iterable of chunks (sent chunked). Resolves { status, headers, text, json } where
 * `json` is the parsed body or undefined; rejects with a 'hang' message after HANG_MS.
 */
export async function send(url, { method = 'POST', headers = {}, body } = {}) {
  const init = { method, headers, signal: AbortSignal.timeout(HANG_MS) };
  if (body !== undefined) {
    if (typeof body === 'string' || Buffer.isBuffer(body) || body instanceof Uint8Array) {
      init.body = body;
    } else {
      init.body = ReadableStream.from(body);
      init.duplex = 'half';
    }
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (err) {
    if (err.name === 'TimeoutError') throw new Error(`hang: no answer within ${HANG_MS} ms`);
    throw err;
  }
  let text;
  try {
    text = await response.text();
  } catch (err) {
    if (err.name === 'TimeoutError') throw new Error(`hang: body not finished within ${HANG_MS} ms`);
    throw err;
  }
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** POST a GraphQL operation as JSON. */
export function gql(url, query, variables, { token, accept, headers = {} } = {}) {
  const h = { 'content-type': 'application/json', ...headers };
  if (token !== undefined) h.authorization = `Bearer ${token}`;
  if (accept) h.accept = accept;
  return send(url, { headers: h, body: JSON.stringify(variables === undefined ? { query } : { query, variables }) });
}

/**
 * Whether `buffer` holds a whole final HTTP response: its head, and its body as the head
 * announces it (Content-Length, or chunked up to the last chunk). Interim 1xx answers are
 * skipped.
 */
export function completeResponse(buffer) {
  let text = buffer.toString('latin1');
  for (;;) {
    const headEnd = text.indexOf('\r\n\r\n');
    if (headEnd < 0) return false;
    const head = text.slice(0, headEnd);
    const body = text.slice(headEnd + 4);
    if (/^HTTP\/1\.[01] 1\d\d/.test(head)) {
      text = body;
      continue;
    }
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (length) return Buffer.byteLength(body, 'latin1') >= Number(length[1]);
    if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) return /(^|\r\n)0\r\n(.*\r\n)*\r\n$/s.test(body);
    // Neither: the body ends when the server closes.
    return false;
  }
}

/**
 * Writes raw bytes on a TCP connection and collects the answer until it is complete or the
 * server closes. Used for requests fetch cannot make (lying Content-Length, malformed heads).
 * Rejects on a hang.
 */
export function rawExchange(port, bytes, { endAfterWrite = false } = {}) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks = [];
    const hang = setTimeout(() => {
      socket.destroy();
      reject(new Error(`hang: raw request unanswered within ${HANG_MS} ms`));
    }, HANG_MS);
    const finish = () => {
      clearTimeout(hang);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    socket.on('connect', () => {
      socket.write(bytes);
      if (endAfterWrite) socket.end();
    });
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      if (completeResponse(Buffer.concat(chunks))) finish();
    });
    socket.on('error', () => finish());
    socket.on('close', finish);
  });
}

/**
 * POST over a raw socket (Connection: close), for bodies the server may refuse before it has
 * read them: fetch fails with EPIPE there instead of showing the answer. `body` is a Buffer;
 * `chunked` sends it in 8 KiB chunks with Transfer-Encoding: chunked; `contentLength`
 * overrides the announced length (a lie). Resolves { status, headers, text, json }.
 */
export async function rawPost(port, { path = '/graphql', headers = {}, body = Buffer.alloc(0), chunked = false, contentLength } = {}) {
  const lines = [`POST ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  let payload;
  if (chunked) {
    lines.push('Transfer-Encoding: chunked');
    const parts = [];
    for (let i = 0; i < body.length; i += 8192) {
      const piece = body.subarray(i, i + 8192);
      parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from('0\r\n\r\n'));
    payload = Buffer.concat(parts);
  } else {
    lines.push(`Content-Length: ${contentLength ?? body.length}`);
    payload = body;
  }
  const answer = await rawExchange(port, Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), payload]));
  return parseRawResponse(answer);
}

/** Parses an HTTP/1.1 answer (latin1 text) into { status, headers, text, json }. */
export function parseRawResponse(answer) {
  const split = answer.indexOf('\r\n\r\n');
  const head = split < 0 ? answer : answer.slice(0, split);
  let rawBody = split < 0 ? '' : answer.slice(split + 4);
  const headers = new Map();
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  if (/chunked/i.test(headers.get('transfer-encoding') ?? '')) {
    let out = '';
    let rest = rawBody;
    for (;;) {
      const eol = rest.indexOf('\r\n');
      if (eol < 0) break;
      const size = parseInt(rest.slice(0, eol), 16);
      if (!size) break;
      out += rest.slice(eol + 2, eol + 2 + size);
      rest = rest.slice(eol + 2 + size + 2);
    }
    rawBody = out;
  }
  const text = Buffer.from(rawBody, 'latin1').toString('utf8');
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: rawStatus(answer), headers: { get: (n) => headers.get(n.toLowerCase()) ?? null }, text, json };
}

/** The status code of the first response in a raw answer, or undefined if there is none. */
export function rawStatus(answer) {
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(answer);
  return match ? Number(match[1]) : undefined;
}

export async function healthy(baseUrl) {
  const { status } = await send(`${baseUrl}/healthz`, { method: 'GET' });
  return status === 200;
}
