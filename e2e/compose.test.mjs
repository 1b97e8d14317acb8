// docker-compose.yml, the Dockerfiles and .env.example, checked without a Docker engine: the
// YAML parsed and interpolated the way compose does, the rules of the deployment asserted on it.
// The one piece that runs for real is the server image's HEALTHCHECK command, against the real
// server.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { after, before, describe, test } from 'node:test';
import YAML from 'yaml';
import {
  cidrContains,
  contextSources,
  dockerignore,
  envInstructions,
  interpolate,
  interpolateDeep,
  parseBytes,
  parseEnvFile,
  publishedPorts,
  readDockerfile,
  referencedVariables,
  serviceEnvironment,
  serviceNetworks,
  stageChain,
} from './infra/compose.mjs';
import { freePort, TEMPLATE_VARS, templates } from './infra/nginx.mjs';
import { repoRoot, startServer } from './support/server.mjs';

const composeText = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8');
// Merge keys (`<<: *server-settings`) as compose applies them.
const compose = YAML.parse(composeText, { merge: true });
const services = compose.services;
const envExampleText = readFileSync(join(repoRoot, '.env.example'), 'utf8');
const envExample = parseEnvFile(envExampleText);
const isIgnored = dockerignore(readFileSync(join(repoRoot, '.dockerignore'), 'utf8'));
const PROD = ['nginx', 'server', 'postgres'];
const DEV = ['pgadmin', 'server-dev'];

/** .env.example with its required secrets filled in, as a user is told to. */
const filledEnv = () => ({
  ...envExample,
  POSTGRES_PASSWORD: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718',
  JWT_SECRET: '9b1f4c7e2a5d8b0e3f6a9c2d5e8b1f4a7c0e3d6b9f2a5c8e1d4b7f0a3c6e9d2b',
});
/** Only the required secrets set, nothing else: what compose does with its own defaults. */
const secretsOnly = () => {
  const { POSTGRES_PASSWORD, JWT_SECRET } = filledEnv();
  return { POSTGRES_PASSWORD, JWT_SECRET };
};
const resolved = () => interpolateDeep(compose, filledEnv());
const profiles = (service) => service.profiles ?? [];

describe('docker-compose.yml: services and ports', () => {
  test('the default stack is exactly nginx, server and postgres; the rest is profile dev', () => {
    const always = Object.keys(services).filter((name) => profiles(services[name]).length === 0);
    assert.deepEqual(always.sort(), [...PROD].sort());
    for (const name of DEV) {
      assert.ok(services[name], `${name} exists`);
      assert.deepEqual(profiles(services[name]), ['dev'], name);
    }
    for (const [name, service] of Object.entries(services)) {
      if (!PROD.includes(name)) assert.deepEqual(profiles(service), ['dev'], `${name} must be dev-only`);
    }
  });

  test('nginx publishes exactly 80 and 443, on all interfaces', () => {
    const ports = publishedPorts(resolved().services.nginx);
    assert.deepEqual(
      ports.map((p) => `${p.published}:${p.target}`).sort(),
      ['443:443', '80:80'],
    );
    for (const port of ports) assert.equal(port.hostIp, '');
  });

  test('server and postgres publish nothing; the server only exposes 8080 to its networks', () => {
    for (const name of ['server', 'postgres']) {
      assert.equal(services[name].ports, undefined, `${name} must not publish ports`);
      assert.equal(services[name].network_mode, undefined, name);
    }
    assert.deepEqual(services.server.expose.map(String), ['8080']);
  });

  test('dev-only services publish on 127.0.0.1 only', () => {
    const all = resolved().services;
    for (const name of DEV) {
      const ports = publishedPorts(all[name]);
      assert.ok(ports.length > 0, `${name} is reachable from the host`);
      for (const port of ports) assert.equal(port.hostIp, '127.0.0.1', `${name}: ${JSON.stringify(port)}`);
    }
    assert.deepEqual(publishedPorts(all['server-dev']).map((p) => p.target), ['8080']);
    assert.deepEqual(publishedPorts(all.pgadmin).map((p) => p.target), ['80']);
  });

  test('no service uses host networking or privileged mode', () => {
    for (const [name, service] of Object.entries(services)) {
      assert.equal(service.network_mode, undefined, name);
      assert.notEqual(service.privileged, true, name);
    }
  });
});

describe('docker-compose.yml: networks', () => {
  test('edge is a normal network, internal has no route out', () => {
    assert.ok(compose.networks.edge, 'edge declared');
    assert.notEqual(compose.networks.edge.internal, true);
    assert.equal(compose.networks.internal.internal, true);
  });

  test('nginx on edge only, postgres on internal only, the server on both', () => {
    assert.deepEqual(serviceNetworks(services.nginx), ['edge']);
    assert.deepEqual(serviceNetworks(services.postgres), ['internal']);
    assert.deepEqual(serviceNetworks(services.server).sort(), ['edge', 'internal']);
  });

  test('PostgreSQL shares no network with nginx; every service names its networks', () => {
    const pg = new Set(serviceNetworks(services.postgres));
    assert.deepEqual(serviceNetworks(services.nginx).filter((n) => pg.has(n)), []);
    for (const [name, service] of Object.entries(services)) {
      assert.ok(service.networks, `${name} would join the implicit default network`);
      for (const network of serviceNetworks(service)) assert.ok(compose.networks[network], `${name}: ${network}`);
    }
    // The dev tools reach PostgreSQL via internal and publish through their own network, never edge.
    for (const name of DEV) assert.ok(!serviceNetworks(services[name]).includes('edge'), name);
  });

  test('the server trusts exactly nginx\'s fixed address on edge, not the subnet or its gateway', () => {
    for (const env of [filledEnv(), secretsOnly(), { ...filledEnv(), EDGE_SUBNET_PREFIX: '10.77.5' }]) {
      const all = interpolateDeep(compose, env);
      const [ipam] = all.networks.edge.ipam.config;
      const nginxAddress = all.services.nginx.networks?.edge?.ipv4_address;
      assert.match(nginxAddress ?? '', /^\d+\.\d+\.\d+\.\d+$/, 'nginx has a fixed ipv4_address on edge');
      assert.ok(cidrContains(ipam.subnet, nginxAddress), `${nginxAddress} in ${ipam.subnet}`);
      // That one address, not a network: a subnet would also believe the gateway (the Docker
      // host, where anything on the host can connect from) and every other container on edge.
      assert.equal(serviceEnvironment(all.services.server).TRUSTED_PROXIES, nginxAddress);
      // Nothing else can ever hold nginx's address: the gateway is another one, and Docker hands
      // out addresses (to the server replicas, which start before nginx) from ip_range only.
      assert.ok(ipam.gateway && cidrContains(ipam.subnet, ipam.gateway), `gateway ${ipam.gateway}`);
      assert.notEqual(ipam.gateway, nginxAddress);
      assert.ok(ipam.ip_range, 'addresses are handed out from an ip_range');
      const [rangeBase, rangeBits] = ipam.ip_range.split('/');
      assert.ok(cidrContains(ipam.subnet, rangeBase) && Number(rangeBits) >= Number(ipam.subnet.split('/')[1]), ipam.ip_range);
      assert.ok(!cidrContains(ipam.ip_range, nginxAddress), `${nginxAddress} outside ${ipam.ip_range}`);
      assert.ok(!cidrContains(ipam.ip_range, ipam.gateway), `gateway outside ${ipam.ip_range}`);
    }
    // The same expression, so one setting moves both.
    assert.equal(serviceEnvironment(services.server).TRUSTED_PROXIES, services.nginx.networks.edge.ipv4_address);
  });
});

describe('docker-compose.yml: resource limits', () => {
  const MiB = 1024 ** 2;

  test('every service, dev tools included, has a memory and a CPU cap compose applies without swarm', () => {
    for (const env of [filledEnv(), secretsOnly()]) {
      for (const [name, service] of Object.entries(interpolateDeep(compose, env).services)) {
        // Plain container limits (docker run --memory / --cpus), not `deploy:`: that is the
        // swarm section older compose versions ignored, and the two together conflict.
        assert.equal(service.deploy?.resources, undefined, `${name}: mem_limit/cpus, not deploy.resources`);
        assert.ok(parseBytes(service.mem_limit) >= 64 * MiB, `${name}: mem_limit ${service.mem_limit}`);
        // Docker refuses more CPUs than the host has: the sizes must fit a 1-vCPU VPS.
        const cpus = Number(service.cpus);
        assert.ok(cpus > 0 && cpus <= 1, `${name}: cpus ${service.cpus}`);
      }
    }
  });

  test('.env.example states the sizes compose uses when they are not set', () => {
    const documented = interpolateDeep(compose, filledEnv()).services;
    const defaults = interpolateDeep(compose, secretsOnly()).services;
    for (const name of Object.keys(services)) {
      assert.equal(documented[name].mem_limit, defaults[name].mem_limit, name);
      assert.equal(documented[name].cpus, defaults[name].cpus, name);
    }
    // The development server is sized like the production one.
    assert.equal(services['server-dev'].mem_limit, services.server.mem_limit);
    assert.equal(services['server-dev'].cpus, services.server.cpus);
    // PostgreSQL's shared memory is charged to its limit too.
    assert.ok(parseBytes(defaults.postgres.mem_limit) >= 4 * parseBytes(defaults.postgres.shm_size));
  });
});

describe('docker-compose.yml: configuration and secrets', () => {
  test('every ${VAR} used is documented in .env.example, and nothing documented is unused', () => {
    const used = referencedVariables(compose);
    const documented = new Set(Object.keys(envExample));
    assert.deepEqual([...used].filter((name) => !documented.has(name)).sort(), [], 'undocumented');
    assert.deepEqual([...documented].filter((name) => !used.has(name)).sort(), [], 'documented but unused');
  });

  test('$$ escapes are not taken for variables', () => {
    const used = referencedVariables(compose);
    assert.ok(composeText.includes('$${POSTGRES_USER}'), 'the healthcheck reads the container\'s own env');
    assert.equal(interpolate('a $${B} $$C', {}), 'a ${B} $C');
    assert.ok(used.has('POSTGRES_USER'));
  });

  test('the PostgreSQL password and JWT secret are required: no defaults, compose refuses without', () => {
    for (const name of ['POSTGRES_PASSWORD', 'JWT_SECRET']) {
      const uses = [...composeText.matchAll(new RegExp(`\\$\\{${name}([^}]*)\\}`, 'g'))].map((m) => m[1]);
      assert.ok(uses.length > 0, name);
      for (const use of uses) {
        assert.ok(use.startsWith(':?') || use === '', `${name} used with "${use}": a default would be a shared secret`);
      }
      assert.equal(envExample[name], '', `.env.example leaves ${name} empty`);
      const env = filledEnv();
      delete env[name];
      assert.throws(() => interpolateDeep(compose, env), new RegExp(name));
      assert.throws(() => interpolateDeep(compose, { ...filledEnv(), [name]: '' }), new RegExp(name));
    }
    // .env.example copied as is: refused until the secrets are filled in.
    assert.throws(() => interpolateDeep(compose, envExample), /POSTGRES_PASSWORD|JWT_SECRET/);
    assert.doesNotThrow(() => resolved());
  });

  test('the server runs in production mode on PostgreSQL with the secret from .env', () => {
    const env = serviceEnvironment(resolved().services.server);
    assert.equal(env.APP_ENV, 'production');
    assert.equal(env.BIND_ADDR, '0.0.0.0:8080');
    assert.equal(env.JWT_SECRET, filledEnv().JWT_SECRET);
    assert.ok(Buffer.byteLength(env.JWT_SECRET) >= 32);
    const url = new URL(env.DATABASE_URL);
    assert.equal(url.protocol, 'postgres:');
    assert.equal(url.hostname, 'postgres');
    assert.equal(url.password, filledEnv().POSTGRES_PASSWORD);
    const pg = serviceEnvironment(resolved().services.postgres);
    assert.equal(url.username, pg.POSTGRES_USER);
    assert.equal(url.pathname, `/${pg.POSTGRES_DB}`);
    assert.equal(serviceEnvironment(services.server).STATIC_ROOT, undefined);
  });

  test('the dev server never gets the production JWT secret: its own, or one it generates', () => {
    const written = serviceEnvironment(services['server-dev']).JWT_SECRET ?? '';
    assert.ok(!referencedVariables(written).has('JWT_SECRET'), `server-dev: JWT_SECRET: "${written}"`);
    const dev = serviceEnvironment(resolved().services['server-dev']);
    assert.notEqual(dev.JWT_SECRET, filledEnv().JWT_SECRET);
    // Empty by default: development mode then generates its own (config.rs treats empty as unset).
    assert.equal(dev.JWT_SECRET ?? '', '');
    assert.equal(envExample.DEV_JWT_SECRET, '');
    const own = '5d2e8a1f7c4b9e0d3a6f2c8b1e7d4a0f9c3b6e2d8a5f1c7b0e4d9a3f6c2b8e1d';
    const chosen = interpolateDeep(compose, { ...filledEnv(), DEV_JWT_SECRET: own }).services['server-dev'];
    assert.equal(serviceEnvironment(chosen).JWT_SECRET, own);

    // The generated secret goes to data/ under the working directory (config.rs): in this
    // read-only container that must be a volume of its own, so it is writable and survives.
    const secretFile = /DEV_SECRET_FILE: &str = "([^"]+)"/.exec(readFileSync(join(repoRoot, 'server/src/config.rs'), 'utf8'))?.[1];
    assert.ok(secretFile, 'config.rs names the development secret file');
    const workdir = stageChain(readDockerfile(join(repoRoot, 'server/Dockerfile')), 'dev')
      .flatMap((stage) => stage.instructions)
      .filter((i) => i.op === 'WORKDIR')
      .at(-1)?.args;
    const dataDir = posix.join(workdir, posix.dirname(secretFile));
    assert.equal(services['server-dev'].read_only, true);
    const mount = (services['server-dev'].volumes ?? []).map((v) => String(v).split(':')).find(([, target]) => target === dataDir);
    assert.ok(mount, `server-dev has a volume at ${dataDir}`);
    assert.ok(mount[0] in compose.volumes, `${mount[0]}: a named volume`);
    for (const [name, service] of Object.entries(services)) {
      if (name === 'server-dev') continue;
      assert.ok(!(service.volumes ?? []).some((v) => String(v).split(':')[0] === mount[0]), `${name} shares ${mount[0]}`);
    }
  });

  test('TLS_FALLBACK is off unless set to 1: a missing certificate stops nginx', () => {
    assert.equal(envExample.TLS_FALLBACK, '0');
    for (const env of [filledEnv(), secretsOnly(), { ...secretsOnly(), TLS_FALLBACK: '' }]) {
      assert.equal(serviceEnvironment(interpolateDeep(compose, env).services.nginx).TLS_FALLBACK, '0');
    }
    const asked = interpolateDeep(compose, { ...filledEnv(), TLS_FALLBACK: '1' }).services.nginx;
    assert.equal(serviceEnvironment(asked).TLS_FALLBACK, '1');
  });

  test('the dev server is the development build, on the same database', () => {
    const dev = resolved().services['server-dev'];
    const env = serviceEnvironment(dev);
    assert.equal(env.APP_ENV, 'development');
    assert.equal(env.DATABASE_URL, serviceEnvironment(resolved().services.server).DATABASE_URL);
    assert.equal(dev.build.target, 'dev');
  });

  test('postgres:16 with a named volume and a healthcheck; start order waits for health', () => {
    const pg = services.postgres;
    assert.match(pg.image, /^postgres:16(\b|$)/);
    const volume = pg.volumes.find((v) => String(v).endsWith(':/var/lib/postgresql/data'));
    assert.ok(volume, 'data directory on a volume');
    const name = String(volume).split(':')[0];
    assert.ok(!name.startsWith('.') && !name.startsWith('/'), 'a named volume, not a bind mount');
    assert.ok(name in compose.volumes, `${name} declared`);
    assert.ok(pg.healthcheck?.test, 'postgres healthcheck');
    assert.equal(services.server.depends_on.postgres.condition, 'service_healthy');
    assert.equal(services.nginx.depends_on.server.condition, 'service_healthy');
    assert.notEqual(services.server.healthcheck?.disable, true);
  });

  test('nginx gets all six template variables; certificates mounted where TLS_CERT points', () => {
    const nginxEnv = serviceEnvironment(resolved().services.nginx);
    const imageEnv = envInstructions(stageChain(readDockerfile(join(repoRoot, 'nginx/Dockerfile')), 'runtime').flatMap((s) => s.instructions));
    for (const name of TEMPLATE_VARS) {
      assert.ok(nginxEnv[name] ?? imageEnv[name], `${name} is set for the nginx container`);
    }
    assert.equal(nginxEnv.UPSTREAM, 'server:8080');
    const mounts = services.nginx.volumes.map((v) => String(v).split(':'));
    const certMount = mounts.find(([, target]) => nginxEnv.TLS_CERT.startsWith(`${target}/`));
    assert.ok(certMount, `a volume holds ${nginxEnv.TLS_CERT}`);
    assert.equal(certMount[0], './certs', 'where scripts/gen-dev-cert.sh writes by default');
    assert.ok(mounts.every(([, , mode]) => mode === 'ro'), 'certificates and webroot read-only');
    assert.ok(mounts.some(([, target]) => target === '/var/www/certbot'), 'ACME webroot the templates serve');
    assert.ok(templates().some(({ text }) => text.includes('root /var/www/certbot;')));
    // The image's envsubst must touch only these variables.
    assert.equal(imageEnv.NGINX_ENVSUBST_FILTER, `^(${TEMPLATE_VARS.join('|')})$`);
  });

  test('.env and the certificate directories stay out of build contexts; .env out of git', () => {
    for (const path of ['.env', 'certs/privkey.pem', 'certbot/conf/live/x/privkey.pem', 'target/release/server',
      'admin-spa/node_modules/react/index.js', 'admin-spa/dist/index.html', 'server/graphiql/dist/x.js', '.git/config']) {
      assert.ok(isIgnored(path), `${path} must not be sent to the builder`);
    }
    assert.ok(!isIgnored('.env.example'));
    const gitignore = readFileSync(join(repoRoot, '.gitignore'), 'utf8').split('\n');
    assert.ok(gitignore.includes('.env'), '.env is git-ignored');
  });
});

describe('nginx templates (static)', () => {
  test('use only the six variables, each of them, and nothing newer than nginx 1.22 knows', () => {
    const used = new Set();
    for (const { name, text } of templates()) {
      for (const match of text.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)\}?/g)) {
        assert.ok(TEMPLATE_VARS.includes(match[1]), `${name}: $${match[1]} is not a template variable`);
        used.add(match[1]);
      }
      assert.doesNotMatch(text, /^\s*http2\s+on\s*;/m, `${name}: \`http2 on;\` needs nginx 1.25`);
      assert.match(text, /^\s*listen\s+443\s+ssl\s+http2\b/m, name);
      assert.match(text, /^\s*listen\s+80\b/m, name);
    }
    assert.deepEqual([...used].sort(), [...TEMPLATE_VARS].sort());
  });

  test('only catch-alls are default servers; nothing redirects to the Host a client sent', () => {
    for (const { name, text } of templates()) {
      const defaults = [...text.matchAll(/^\s*listen\s+(\d+)\b[^;]*\bdefault_server\b/gm)].map((m) => m[1]);
      assert.deepEqual(defaults.sort(), ['443', '80'], `${name}: one default server per port`);
      assert.ok(/^\s*ssl_reject_handshake\s+on;/m.test(text), `${name}: unknown names get no TLS handshake`);
      const hostRedirect = /return\s+30\d\s+\S*\$(host|http_host)\b.*/.exec(text);
      assert.equal(hostRedirect, null, `${name}: a redirect built from the client's Host: ${hostRedirect?.[0]}`);
    }
  });

  test('nginx.conf has no user/pid/daemon (the image and the tests each set their own)', () => {
    const conf = readFileSync(join(repoRoot, 'nginx/nginx.conf'), 'utf8');
    for (const directive of ['user', 'pid', 'daemon']) {
      assert.doesNotMatch(conf, new RegExp(`^\\s*${directive}\\s`, 'm'), directive);
    }
    assert.match(conf, /^\s*server_tokens off;/m);
    assert.match(conf, /^\s*include conf\.d\/\*\.conf;/m);
  });
});

describe('Dockerfiles (static)', () => {
  const buildsOf = () =>
    Object.entries(services)
      .filter(([, s]) => s.build)
      .map(([name, s]) => ({ name, context: join(repoRoot, s.build.context), dockerfile: s.build.dockerfile, target: s.build.target }));

  test('every image is either built from a Dockerfile here or a pinned official image', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build) continue;
      assert.match(service.image, /^[\w./-]+:\d+/, `${name}: pin at least a major version`);
    }
    for (const build of buildsOf()) {
      assert.equal(build.context, repoRoot, `${build.name}: context is the repository root`);
      const path = join(build.context, build.dockerfile);
      assert.ok(existsSync(path), `${build.name}: ${build.dockerfile}`);
      const { stages } = readDockerfile(path);
      if (build.target) assert.ok(stages.some((s) => s.name === build.target), `${build.name}: target ${build.target}`);
    }
  });

  test('everything the Dockerfiles copy from the context exists and is not .dockerignored', () => {
    for (const build of buildsOf()) {
      for (const stage of readDockerfile(join(build.context, build.dockerfile)).stages) {
        for (const instruction of stage.instructions) {
          for (const source of contextSources(instruction)) {
            const path = source.replace(/\/$/, '');
            assert.ok(existsSync(join(build.context, path)), `${build.dockerfile}: COPY ${source}: missing in the repository`);
            assert.ok(!isIgnored(path), `${build.dockerfile}: COPY ${source} is excluded by .dockerignore`);
            if (statSync(join(build.context, path)).isDirectory() && existsSync(join(build.context, path, 'package.json'))) {
              assert.ok(!isIgnored(`${path}/package.json`) && !isIgnored(`${path}/src/main.ts`), path);
            }
          }
        }
      }
    }
  });

  test('server image: cached dependency layer, small non-root runtime, production by default', () => {
    const dockerfile = readDockerfile(join(repoRoot, 'server/Dockerfile'));
    const build = dockerfile.stages.find((s) => s.name === 'build');
    const lines = build.instructions.map((i) => i.line);
    const index = (re) => lines.findIndex((l) => re.test(l));
    // cargo-chef: the planner turns manifests + Cargo.lock into a recipe; the build stage cooks
    // the dependencies from the recipe alone, and only then copies the sources.
    const planner = dockerfile.stages.find((s) => s.name === 'planner');
    assert.ok(planner.instructions.some((i) => /cargo chef prepare/.test(i.line)), 'planner prepares a recipe');
    const recipe = index(/^COPY --from=planner .*recipe\.json/);
    const cook = index(/^RUN .*cargo chef cook --release/);
    const sources = index(/^COPY server /);
    assert.ok(recipe >= 0 && cook > recipe && sources > cook, 'recipe, dependency build, then sources');
    assert.ok(!lines.slice(0, cook).some((l) => /^COPY (?!--from=planner)/.test(l)), 'nothing but the recipe before the cook');
    assert.ok(lines.slice(sources).some((l) => /cargo build --release --locked --bin server/.test(l)));
    assert.ok(lines.slice(sources).some((l) => /touch/.test(l)), 'sources are touched after COPY');

    // The last stage is the default target: production.
    assert.equal(dockerfile.stages.at(-1).name, 'runtime');
    const chain = stageChain(dockerfile, 'runtime');
    const runtimeLines = chain.flatMap((s) => s.instructions);
    assert.match(chain[0].from, /slim|distroless|alpine/, `small base: ${chain[0].from}`);
    const user = runtimeLines.filter((i) => i.op === 'USER').at(-1);
    assert.ok(user && !/^(root|0)(:|$)/.test(user.args), `non-root USER: ${user?.args}`);
    assert.equal(envInstructions(runtimeLines).APP_ENV, 'production');
    assert.ok(runtimeLines.some((i) => i.op === 'HEALTHCHECK'), 'HEALTHCHECK');
    assert.ok(!runtimeLines.some((i) => i.op === 'COPY' && !/--from=/.test(i.args)), 'runtime copies only build output');

    const dev = stageChain(dockerfile, 'dev').flatMap((s) => s.instructions);
    assert.equal(envInstructions(dev).APP_ENV, 'development');
    assert.ok(dev.some((i) => /graphiql\/dist/.test(i.args)), 'the dev image carries the GraphiQL assets');
  });

  test('nginx image: Node stages build both front-ends, nginx 1.27 serves them', () => {
    const dockerfile = readDockerfile(join(repoRoot, 'nginx/Dockerfile'));
    const runtime = dockerfile.stages.at(-1);
    assert.match(runtime.from, /^nginx:1\.27(\b|-)/);
    for (const app of ['public-site', 'admin-spa']) {
      const stage = dockerfile.stages.find((s) => s.name === app);
      assert.ok(stage, `${app} stage`);
      assert.match(stage.from, /^node:22/);
      const lines = stage.instructions.map((i) => i.line).join('\n');
      assert.match(lines, new RegExp(`COPY ${app}/package\\.json ${app}/package-lock\\.json`));
      assert.match(lines, /npm ci/);
      assert.match(lines, /npm run build/);
      assert.ok(runtime.instructions.some((i) => i.op === 'COPY' && i.args.includes(`--from=${app}`)), `${app} dist copied`);
    }
    const env = envInstructions(runtime.instructions);
    assert.ok(runtime.instructions.some((i) => i.op === 'COPY' && /nginx\/templates\/ \/etc\/nginx\/templates\//.test(i.args)));
    assert.ok(runtime.instructions.some((i) => i.op === 'COPY' && /nginx\/nginx\.conf \/etc\/nginx\/nginx\.conf/.test(i.args)));
    assert.equal(env.PUBLIC_ROOT, '/usr/share/nginx/public');
    assert.equal(env.ADMIN_ROOT, '/usr/share/nginx/admin');
  });
});

describe('server image HEALTHCHECK, run against the real server', () => {
  let server;
  before(async () => {
    server = await startServer({ production: true });
  });
  after(async () => {
    await server?.stop();
  });

  const healthcheck = () => {
    const line = readDockerfile(join(repoRoot, 'server/Dockerfile'))
      .stages.flatMap((s) => s.instructions)
      .find((i) => i.op === 'HEALTHCHECK');
    const json = /\bCMD\s+(\[.*\])\s*$/.exec(line.args);
    assert.ok(json, `exec-form HEALTHCHECK: ${line.args}`);
    const argv = JSON.parse(json[1]);
    assert.ok(argv.join(' ').includes('127.0.0.1/8080'), 'checks the port the image binds');
    return argv;
  };
  const run = (port) => {
    const argv = healthcheck().map((arg) => arg.replaceAll('127.0.0.1/8080', `127.0.0.1/${port}`));
    return spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 5_000 });
  };

  test('passes while the server is healthy', () => {
    const result = run(server.port);
    assert.equal(result.status, 0, result.stderr);
  });

  test('fails when nothing answers', async () => {
    const result = run(await freePort());
    assert.notEqual(result.status, 0);
  });
});
