// Static tools for checking docker-compose.yml and the Dockerfiles without a Docker engine:
// compose's variable interpolation, a Dockerfile reader, and .dockerignore matching.
import { readFileSync } from 'node:fs';

/**
 * Compose-style interpolation of one string: `$$` is a literal `$`; `$VAR`, `${VAR}`,
 * `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`,
 * `${VAR+alt}`, with nested expressions in the default/alt/error text.
 * @param {string} text
 * @param {Record<string,string|undefined>} env
 * @param {Set<string>} [seen] collects every variable name referenced
 * @returns {string}
 */
export function interpolate(text, env, seen = new Set()) {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch !== '$') {
      out += ch;
      i += 1;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const close = matchingBrace(text, i + 1);
      if (close < 0) throw new Error(`unterminated \${ in: ${text}`);
      out += expand(text.slice(i + 2, close), env, seen);
      i = close + 1;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1));
    if (name) {
      seen.add(name[0]);
      out += env[name[0]] ?? '';
      i += 1 + name[0].length;
      continue;
    }
    out += '$';
    i += 1;
  }
  return out;
}

function matchingBrace(text, open) {
  let depth = 0;
  for (let j = open; j < text.length; j += 1) {
    if (text[j] === '$' && text[j + 1] === '$') {
      j += 1;
    } else if (text[j] === '{') {
      depth += 1;
    } else if (text[j] === '}') {
      depth -= 1;
      if (depth === 0) return j;
    }
  }
  return -1;
}

function expand(inner, env, seen) {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(inner);
  if (!match) throw new Error(`invalid interpolation: \${${inner}}`);
  const [, name, op, rest = ''] = match;
  seen.add(name);
  const value = env[name];
  const unset = value === undefined;
  const empty = unset || value === '';
  const nested = () => interpolate(rest, env, seen);
  switch (op) {
    case undefined:
      return value ?? '';
    case ':-':
      return empty ? nested() : value;
    case '-':
      return unset ? nested() : value;
    case ':?':
      if (empty) throw new Error(`required variable ${name} is missing a value: ${nested()}`);
      return value;
    case '?':
      if (unset) throw new Error(`required variable ${name} is missing a value: ${nested()}`);
      return value;
    case ':+':
      return empty ? '' : nested();
    case '+':
      return unset ? '' : nested();
    default:
      throw new Error(`unknown operator ${op}`);
  }
}

/** Interpolates every string value in a parsed compose document (keys are left alone). */
export function interpolateDeep(node, env, seen = new Set()) {
  if (typeof node === 'string') return interpolate(node, env, seen);
  if (Array.isArray(node)) return node.map((item) => interpolateDeep(item, env, seen));
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateDeep(v, env, seen)]));
  }
  return node;
}

/** Every variable a compose document references (without evaluating anything). */
export function referencedVariables(node) {
  const seen = new Set();
  const walk = (value) => {
    if (typeof value === 'string') {
      // Defaults and errors must not throw here: evaluate with everything set.
      interpolate(value, new Proxy({}, { get: () => 'x' }), seen);
    } else if (Array.isArray(value)) {
      value.forEach(walk);
    } else if (value && typeof value === 'object') {
      Object.values(value).forEach(walk);
    }
  };
  walk(node);
  return seen;
}

/** KEY=value lines of a .env file (comments and blank lines skipped). */
export function parseEnvFile(text) {
  const env = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match) env[match[1]] = match[2].trim().replace(/^(['"])(.*)\1$/, '$2');
  }
  return env;
}

/**
 * Reads a Dockerfile into stages: [{ name, from, instructions: [{ op, args, line }] }].
 * Continuation lines are joined; comments and the parser directive are dropped.
 */
export function readDockerfile(path) {
  const raw = readFileSync(path, 'utf8');
  const logical = [];
  let current = '';
  for (const line of raw.split('\n')) {
    if (/^\s*#/.test(line)) continue;
    if (/\\\s*$/.test(line)) {
      current += `${line.replace(/\\\s*$/, '')} `;
      continue;
    }
    current += line;
    if (current.trim()) logical.push(current.trim());
    current = '';
  }
  const args = {};
  const stages = [];
  for (const line of logical) {
    const [, op, rest] = /^(\S+)\s*([\s\S]*)$/.exec(line);
    const instruction = { op: op.toUpperCase(), args: rest, line };
    if (instruction.op === 'ARG' && stages.length === 0) {
      const [name, value = ''] = rest.split('=');
      args[name.trim()] = value.trim();
    }
    if (instruction.op === 'FROM') {
      const match = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(rest);
      const from = match[1].replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => args[a ?? b] ?? '');
      stages.push({ name: match[2], from, instructions: [] });
      continue;
    }
    stages.at(-1)?.instructions.push(instruction);
  }
  return { stages, args };
}

/** Sources of a COPY/ADD from the build context (not --from=...), as written. */
export function contextSources(instruction) {
  if (!['COPY', 'ADD'].includes(instruction.op)) return [];
  const words = instruction.args.split(/\s+/).filter(Boolean);
  if (words.some((w) => w.startsWith('--from='))) return [];
  const paths = words.filter((w) => !w.startsWith('--'));
  return paths.slice(0, -1);
}

/** A .dockerignore matcher with Docker's rules: last matching pattern wins, `!` re-includes,
 * a path is excluded when it or one of its parent directories is. */
export function dockerignore(text) {
  const rules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const negate = line.startsWith('!');
      const pattern = (negate ? line.slice(1) : line).replace(/^\/+/, '').replace(/\/+$/, '');
      return { negate, regex: globToRegex(pattern) };
    });
  const matches = (path) => {
    let excluded = false;
    for (const rule of rules) if (rule.regex.test(path)) excluded = !rule.negate;
    return excluded;
  };
  return (path) => {
    const parts = path.replace(/^\.\//, '').replace(/\/+$/, '').split('/');
    for (let n = 1; n <= parts.length; n += 1) {
      if (matches(parts.slice(0, n).join('/'))) return true;
    }
    return false;
  };
}

function globToRegex(pattern) {
  let re = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i];
    if (ch === '*' && pattern[i + 1] === '*') {
      if (pattern[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (ch === '*') {
      re += '[^/]*';
    } else if (ch === '?') {
      re += '[^/]';
    } else {
      re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

/** Published ports of a compose service in a common shape. */
export function publishedPorts(service) {
  return (service.ports ?? []).map((port) => {
    if (typeof port === 'object') {
      return { hostIp: port.host_ip ?? '', published: String(port.published ?? ''), target: String(port.target) };
    }
    const spec = String(port).replace(/\/(tcp|udp)$/, '');
    const parts = spec.split(':');
    if (parts.length === 1) return { hostIp: '', published: '', target: parts[0] };
    if (parts.length === 2) return { hostIp: '', published: parts[0], target: parts[1] };
    return { hostIp: parts.slice(0, -2).join(':'), published: parts.at(-2), target: parts.at(-1) };
  });
}

/** Network names a service joins (list or map syntax); none declared means `default`. */
export function serviceNetworks(service) {
  if (!service.networks) return ['default'];
  return Array.isArray(service.networks) ? service.networks : Object.keys(service.networks);
}

/** A service's environment as an object (map or KEY=value list syntax). */
export function serviceEnvironment(service) {
  const env = service.environment ?? {};
  if (!Array.isArray(env)) return env;
  return Object.fromEntries(
    env.map((item) => {
      const at = item.indexOf('=');
      return at < 0 ? [item, undefined] : [item.slice(0, at), item.slice(at + 1)];
    }),
  );
}

/** KEY=value pairs of ENV instructions (quoted values unquoted). */
export function envInstructions(instructions) {
  const env = {};
  for (const { op, args } of instructions) {
    if (op !== 'ENV') continue;
    for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|'([^']*)'|(\S*))/g)) {
      env[match[1]] = match[3] ?? match[4] ?? match[5];
    }
  }
  return env;
}

/** The stage and the stages it is built FROM, base first. */
export function stageChain(dockerfile, name) {
  const chain = [];
  let stage = dockerfile.stages.find((s) => s.name === name);
  while (stage) {
    chain.unshift(stage);
    stage = dockerfile.stages.find((s) => s.name && s.name === stage.from);
  }
  return chain;
}

/** Bytes of a compose memory size: a number of bytes, or one with a unit b, k, m, g (kb, mb,
 * gb too; case-insensitive, binary multiples as Docker takes them). NaN when unreadable. */
export function parseBytes(size) {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)b?\s*$/i.exec(String(size));
  if (!match) return NaN;
  const power = { '': 0, k: 1, m: 2, g: 3 }[match[2].toLowerCase()];
  return Math.round(Number(match[1]) * 1024 ** power);
}

/** An IPv4 address as an unsigned 32-bit number; NaN when it is not one. */
export function ipv4ToNumber(address) {
  const parts = String(address).split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return NaN;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** Whether an IPv4 CIDR network (`a.b.c.d/n`) contains an IPv4 address. */
export function cidrContains(cidr, address) {
  const [base, bits] = String(cidr).split('/');
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipv4ToNumber(base) / size) * size;
  const ip = ipv4ToNumber(address);
  return ip >= start && ip < start + size;
}
