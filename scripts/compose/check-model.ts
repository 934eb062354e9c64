/**
 * The checks of scripts/check-compose.sh that need the sources: the deployment files against the
 * code they run. Run from the repository root:
 *
 *   node --import tsx scripts/compose/check-model.ts <model.json> [docker-compose.yml]
 *
 * <model.json> is the resolved compose project with every profile enabled, as compose-validate
 * (or `docker compose --profile '*' config --format json`) prints it. Prints each problem and
 * exits 1 if there is any; warnings do not fail.
 *
 * - Dockerfile: the npm ci stage copies the lockfile, .npmrc and every workspace's package.json
 *   (the root package.json's workspaces globs), omits dev dependencies; the runtime stage is
 *   node:20-bookworm-slim, NODE_ENV=production, not root; tsx is a runtime dependency.
 * - Every container of the Saferoads image: its command's file exists, is in the image (the
 *   runtime stage's COPYs less .dockerignore) with every file it imports, every package it imports
 *   is a production dependency, CLI subcommands and options exist.
 * - Environment: every variable a service reads (its envConfig schema, the KAFKA_* of the bus,
 *   LOG_LEVEL, process.env.X) is wired in its `environment`, and nothing set there is unread
 *   (a typo); the KAFKA_* list of docs/kafka.md is the bus's; docs/deployment.md names every
 *   variable; every ${VAR} has a default.
 * - Wiring: health checks behind every service_healthy, restart policies, resource limits, the
 *   named network, named volumes for the data, no container_name or host port on a scalable
 *   service, unique host ports, PORT matching the exposed port, stop_grace_period above
 *   SHUTDOWN_TIMEOUT_MS, the topics job creating every topic the services need.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, posix, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TObject } from '@sinclair/typebox';
import { KAFKA_ENV } from '@saferoads/shared/bus';
import { envVariables } from '@saferoads/shared/service';
import { TOPICS } from '@saferoads/shared/topics';
import { baseImage, contextPath, copies, imageLayout } from './image.js';

// ---------------------------------------------------------------------------------------------
// Reporting

// Sets: a problem found through several services is reported once.
const errors = new Set<string>();
const warnings = new Set<string>();
const error = (msg: string) => errors.add(msg);
const warn = (msg: string) => warnings.add(msg);

const ROOT = process.cwd();
const [modelPath, composePath = 'docker-compose.yml'] = process.argv.slice(2);
if (!modelPath) {
  console.error('usage: check-model.ts <model.json> [docker-compose.yml]');
  process.exit(2);
}

const read = (rel: string) => readFileSync(join(ROOT, rel), 'utf8');
const isFile = (rel: string) => existsSync(join(ROOT, rel)) && statSync(join(ROOT, rel)).isFile();

/** Variables a container may carry that no Saferoads code reads: Node's and the C library's own. */
const PLATFORM_ENV = new Set(['NODE_ENV', 'NODE_OPTIONS', 'TZ', 'UV_THREADPOOL_SIZE']);

// ---------------------------------------------------------------------------------------------
// Workspaces and the lockfile

interface PackageJson {
  name: string;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  exports?: Record<string, string>;
}
const rootPkg = JSON.parse(read('package.json')) as PackageJson;
const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { dev?: boolean; link?: boolean; resolved?: string }> };

/** Workspace directories from the root package.json's globs (`dir/*` and plain paths). */
function workspaceDirs(): string[] {
  const dirs: string[] = [];
  for (const glob of rootPkg.workspaces ?? []) {
    if (glob.endsWith('/*')) {
      const base = glob.slice(0, -2);
      if (!existsSync(join(ROOT, base))) continue;
      for (const d of readdirSync(join(ROOT, base)).sort()) if (isFile(`${base}/${d}/package.json`)) dirs.push(`${base}/${d}`);
    } else if (/[*?[]/.test(glob)) {
      error(`package.json: workspaces glob "${glob}" is not understood by this check (only "dir/*" and plain paths)`);
    } else if (isFile(`${glob}/package.json`)) {
      dirs.push(glob);
    }
  }
  return dirs;
}
const workspaces = workspaceDirs();
const workspaceByName = new Map(workspaces.map((d) => [(JSON.parse(read(`${d}/package.json`)) as PackageJson).name, d]));

const lockWorkspaces = Object.keys(lock.packages).filter((k) => k !== '' && !k.includes('node_modules/'));
for (const w of workspaces) if (!lockWorkspaces.includes(w)) error(`package-lock.json has no entry for workspace ${w}: run npm install`);
for (const w of lockWorkspaces) if (!workspaces.includes(w)) error(`package-lock.json lists workspace ${w}, which the root package.json's workspaces do not match`);

/** Whether a package is installed by `npm ci --omit=dev` (present in the lockfile, not dev-only). */
function isProdPackage(name: string): boolean {
  const entries = Object.entries(lock.packages).filter(([k]) => k === `node_modules/${name}` || k.endsWith(`/node_modules/${name}`));
  return entries.some(([, v]) => v.dev !== true);
}

// ---------------------------------------------------------------------------------------------
// Dockerfile

const layout = imageLayout(ROOT);
layout.problems.forEach(error);
const { depsStage, runtimeStage, imageFiles } = layout;

if (!depsStage) {
  error('Dockerfile: no stage runs npm ci');
} else {
  const npmCi = depsStage.instructions.find((i) => i.op === 'RUN' && /\bnpm ci\b/.test(i.args))!;
  if (!/--omit=dev\b/.test(npmCi.args)) error(`Dockerfile:${npmCi.line}: npm ci without --omit=dev installs the dev dependencies too`);
  const copied = copies(depsStage).flatMap((c) => (c.from === undefined ? c.sources.map(contextPath) : []));
  for (const f of ['package.json', 'package-lock.json', '.npmrc']) {
    if (f === '.npmrc' && !isFile('.npmrc')) continue;
    if (!copied.includes(f)) error(`Dockerfile: stage ${depsStage.name} runs npm ci without copying ${f}`);
  }
  for (const w of workspaces) {
    if (!copied.includes(`${w}/package.json`)) error(`Dockerfile: stage ${depsStage.name} does not copy ${w}/package.json (workspace of ${rootPkg.workspaces?.join(', ')}): npm ci fails or misses its dependencies`);
  }
  for (const c of copied) {
    if (c.endsWith('/package.json') && !workspaces.includes(dirname(c))) error(`Dockerfile: stage ${depsStage.name} copies ${c}, which is not a workspace`);
  }
  const npmrc = isFile('.npmrc') ? read('.npmrc') : '';
  if (/onnxruntime-node-install\s*=\s*skip/.test(npmrc) && !copied.includes('.npmrc')) error('Dockerfile: .npmrc (onnxruntime-node-install=skip) must be copied before npm ci');
}

const runtimeBase = baseImage(layout.dockerfile, runtimeStage);
if (!/^node:20(\.[\d.]+)?-bookworm-slim(@sha256:[0-9a-f]+)?$/.test(runtimeBase)) error(`Dockerfile: the runtime stage is FROM ${runtimeBase}, not node:20-bookworm-slim`);
const users = runtimeStage.instructions.filter((i) => i.op === 'USER').map((i) => i.args.split(':')[0]);
if (users.length === 0 || ['root', '0'].includes(users[users.length - 1])) error('Dockerfile: the runtime stage runs as root: add USER node');
if (!runtimeStage.instructions.some((i) => i.op === 'ENV' && /\bNODE_ENV[= ]"?production"?/.test(i.args))) error('Dockerfile: the runtime stage does not set NODE_ENV=production');
if (!rootPkg.dependencies?.tsx) error('package.json: tsx must be a runtime dependency (dependencies): the image runs TypeScript through it');

// ---------------------------------------------------------------------------------------------
// What a program imports and which variables it reads

function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** Resolves an import specifier to a repository file, `null` for node_modules and builtins. */
function resolveImport(spec: string, fromFile: string): { file?: string; pkg?: string } {
  if (spec.startsWith('.')) {
    const base = posix.normalize(posix.join(posix.dirname(fromFile), spec));
    for (const cand of [base, base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`, `${base}/index.ts`]) if (isFile(cand)) return { file: cand };
    return { file: base };
  }
  if (spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0])) return {};
  const parts = spec.split('/');
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  const dir = workspaceByName.get(name);
  if (dir) {
    const sub = '.' + spec.slice(name.length);
    const pkg = JSON.parse(read(`${dir}/package.json`)) as PackageJson;
    const target = pkg.exports?.[sub];
    return { file: target ? posix.normalize(posix.join(dir, target)) : `${dir}/${sub} (not exported)` };
  }
  return { pkg: name };
}

interface Closure {
  readonly files: Set<string>;
  readonly packages: Map<string, string>;
}
function importClosure(entry: string): Closure {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const queue = [entry];
  while (queue.length > 0) {
    const f = queue.pop()!;
    if (files.has(f)) continue;
    files.add(f);
    if (!isFile(f) || !/\.(ts|mts|js|mjs)$/.test(f)) continue;
    const src = stripComments(read(f));
    const specs: string[] = [];
    for (const m of src.matchAll(/^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) if (!m[2]) specs.push(m[3]);
    for (const m of src.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.push(m[1]);
    for (const s of specs) {
      const r = resolveImport(s, f);
      if (r.file) queue.push(r.file);
      if (r.pkg && !packages.has(r.pkg)) packages.set(r.pkg, f);
    }
  }
  return { files, packages };
}

const schemaCache = new Map<string, string[]>();
/** Variables behind `envConfig(Schema, …)` calls in these files: the schema module is imported and asked. */
async function envConfigVariables(files: Iterable<string>, within: Set<string>): Promise<string[]> {
  const out: string[] = [];
  for (const f of files) {
    if (!isFile(f)) continue;
    for (const m of stripComments(read(f)).matchAll(/\benvConfig\(\s*([A-Za-z_$][\w$]*)\s*,/g)) {
      const id = m[1];
      const home = [...within].find((g) => isFile(g) && new RegExp(`export\\s+const\\s+${id}\\b`).test(read(g)));
      if (!home || /(^|\/)main\.ts$/.test(home)) {
        error(`${f}: cannot find the module that exports the configuration schema ${id} (it must not be a main.ts)`);
        continue;
      }
      const key = `${home}#${id}`;
      if (!schemaCache.has(key)) {
        const mod = (await import(pathToFileURL(resolve(ROOT, home)).href)) as Record<string, unknown>;
        schemaCache.set(key, envVariables(mod[id] as TObject).map((v) => v.name));
      }
      out.push(...schemaCache.get(key)!);
    }
  }
  return out;
}

const KAFKA_VARS: string[] = Object.values(KAFKA_ENV);

/** Every variable the files may read. */
async function variablesRead(files: Set<string>, within: Set<string>): Promise<Set<string>> {
  const vars = new Set(await envConfigVariables(files, within));
  for (const f of files) {
    if (!isFile(f)) continue;
    const src = stripComments(read(f));
    for (const m of src.matchAll(/process\.env(?:\.([A-Z_][A-Z0-9_]*)|\[\s*['"]([A-Z_][A-Z0-9_]*)['"]\s*\])/g)) vars.add(m[1] ?? m[2]);
    if (/\bkafkaConfigFromEnv\(/.test(src)) KAFKA_VARS.forEach((v) => vars.add(v));
    if (/\bcreateLogger\(/.test(src)) vars.add('LOG_LEVEL');
  }
  return vars;
}

// ---------------------------------------------------------------------------------------------
// The compose model

interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string };
  command?: string[] | null;
  environment?: Record<string, string | null>;
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  ports?: { target: number; published?: string; host_ip?: string }[];
  expose?: string[];
  container_name?: string;
  restart?: string;
  profiles?: string[];
  deploy?: { replicas?: number; resources?: { limits?: { memory?: string; cpus?: number } } };
  networks?: Record<string, unknown> | null;
  stop_grace_period?: string;
  volumes?: { type: string; source?: string; target: string }[];
}
interface Model {
  services: Record<string, Service>;
  networks?: Record<string, { name?: string }>;
  volumes?: Record<string, unknown>;
}
const model = JSON.parse(readFileSync(modelPath, 'utf8')) as Model;
const services = Object.entries(model.services);
const isOurs = (s: Service) => s.build !== undefined && resolve(s.build.context) === ROOT && (s.build.dockerfile ?? 'Dockerfile') === 'Dockerfile';
const ours = services.filter(([, s]) => isOurs(s));
if (ours.length === 0) error('no service is built from the Dockerfile');

function durationMs(d: string | undefined): number | undefined {
  if (!d) return undefined;
  let ms = 0;
  for (const m of d.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|ns)/g)) ms += Number(m[1]) * { h: 3_600_000, m: 60_000, s: 1_000, ms: 1, us: 1e-3, ns: 1e-6 }[m[2] as 'h']!;
  return ms;
}

/** The CLI's subcommands: name -> module, from cli/main.ts. */
function cliCommands(): Map<string, string> {
  const out = new Map<string, string>();
  if (!isFile('cli/main.ts')) return out;
  for (const m of read('cli/main.ts').matchAll(/(\w+):\s*async\s*\(\)\s*=>\s*\(await import\('([^']+)'\)\)/g)) {
    out.set(m[1], resolveImport(m[2], 'cli/main.ts').file ?? m[2]);
  }
  return out;
}

/** The program a command runs: its entry file and, for the CLI, the subcommand's module. */
function program(name: string, command: string[]): { entry: string; module: string } | undefined {
  if (command[0] !== 'node') {
    error(`service ${name}: command ${JSON.stringify(command)} does not start with node`);
    return undefined;
  }
  const args = command.slice(1);
  let i = 0;
  while (i < args.length && args[i].startsWith('-')) {
    if (args[i] === '--import' || args[i] === '-r' || args[i] === '--require') {
      if (args[i + 1] !== 'tsx') warn(`service ${name}: node ${args[i]} ${args[i + 1]}: only tsx is known here`);
      i += 2;
    } else i += 1;
  }
  const entry = args[i];
  if (!entry) {
    error(`service ${name}: command ${JSON.stringify(command)} names no file`);
    return undefined;
  }
  if (!isFile(entry)) {
    error(`service ${name}: command file ${entry} does not exist in the repository`);
    return undefined;
  }
  if (entry.endsWith('.ts') && !command.includes('tsx')) error(`service ${name}: ${entry} is TypeScript: run it with node --import tsx`);
  if (entry !== 'bin/saferoads.js') return { entry, module: entry };

  const sub = args[i + 1];
  const commands = cliCommands();
  const mod = sub === undefined ? undefined : commands.get(sub);
  if (!mod || !isFile(mod)) {
    error(`service ${name}: "saferoads ${sub ?? ''}" is not a command of cli/main.ts (${[...commands.keys()].join(', ')})`);
    return undefined;
  }
  const src = read(mod);
  for (const opt of args.slice(i + 2).filter((a) => /^--[a-z][a-z0-9-]*$/.test(a))) {
    const negated = opt.startsWith('--no-') ? `--${opt.slice(5)}` : opt;
    if (!new RegExp(`['"\`](${opt}|${negated})[ '"\`<\\[]`).test(src)) error(`service ${name}: saferoads ${sub} has no option ${opt} (${mod})`);
  }
  return { entry, module: mod };
}

const raw = readFileSync(composePath, 'utf8');
const deploymentDoc = isFile('docs/deployment.md') ? read('docs/deployment.md') : '';
if (!deploymentDoc) error('docs/deployment.md is missing');
const documented = (v: string) => deploymentDoc.includes(`\`${v}\``);

const topicsNeeded = new Map<string, string>();
for (const [name, svc] of ours) {
  const command = svc.command ?? ['node', 'bin/saferoads.js', 'start'];
  const prog = program(name, command);
  if (!prog) continue;

  // The program and everything it imports are in the image, and its packages are installed.
  const closure = importClosure(prog.module);
  closure.files.add(prog.entry);
  if (prog.entry !== prog.module) for (const f of importClosure(prog.entry).files) closure.files.add(f);
  for (const f of closure.files) {
    if (!isFile(f)) error(`service ${name}: ${f} (imported by ${prog.module}'s program) does not exist`);
    else if (!imageFiles.has(f)) error(`service ${name}: ${f} is imported by its program but not copied into the image (Dockerfile COPY or .dockerignore)`);
  }
  for (const [pkg, by] of closure.packages) if (!isProdPackage(pkg)) error(`service ${name}: ${by} imports ${pkg}, which npm ci --omit=dev does not install (a dev dependency, or missing)`);

  // Environment: nothing set is unread; a service reads nothing that is not wired.
  const env = svc.environment ?? {};
  const readable = await variablesRead(closure.files, closure.files);
  for (const v of Object.keys(env)) if (!readable.has(v) && !PLATFORM_ENV.has(v)) error(`service ${name}: sets ${v}, which its program never reads (a typo?)`);
  const own = /^services\/([^/]+)\/src\/main\.ts$/.exec(prog.entry);
  if (own) {
    const ownFiles = new Set([...closure.files].filter((f) => f.startsWith(`services/${own[1]}/src/`) && !/\.test\.ts$/.test(f)));
    const required = await variablesRead(ownFiles, closure.files);
    for (const v of required) if (!(v in env)) error(`service ${name}: ${prog.entry} reads ${v}, which its environment does not wire (\${${v}:-default})`);
    for (const m of stripComments(read(prog.entry)).matchAll(/TOPICS\.(\w+)/g)) topicsNeeded.set(TOPICS[m[1] as keyof typeof TOPICS] ?? m[1], name);
  }
  for (const v of Object.keys(env)) if (!documented(v)) error(`docs/deployment.md does not name ${v} (set on a service)`);

  // PORT is the port the service exposes, and it has a health check that uses it.
  if (env.PORT) {
    const port = Number(env.PORT);
    const exposed = [...(svc.expose ?? []).map((e) => Number(e.split('/')[0])), ...(svc.ports ?? []).map((p) => p.target)];
    if (!exposed.includes(port)) error(`service ${name}: PORT=${port} but the service exposes ${exposed.join(', ') || 'nothing'}`);
    if (!svc.healthcheck?.test || svc.healthcheck.disable) error(`service ${name}: listens on ${port} but has no health check`);
    else if (!svc.healthcheck.test.join(' ').includes('/readyz')) warn(`service ${name}: its health check does not probe /readyz`);
    // The graceful stop (SHUTDOWN_TIMEOUT_MS) ends before Docker's SIGKILL.
    const shutdown = Number(env.SHUTDOWN_TIMEOUT_MS || 25_000);
    const grace = durationMs(svc.stop_grace_period) ?? 10_000;
    if (grace <= shutdown) error(`service ${name}: stop_grace_period ${svc.stop_grace_period ?? '10s (default)'} is not above SHUTDOWN_TIMEOUT_MS=${shutdown}`);
  }
}

// The image's own default command (docker run saferoads) is as runnable as the services'.
const cmd = runtimeStage.instructions.filter((i) => i.op === 'CMD').pop();
if (!cmd || !cmd.args.startsWith('[')) {
  error('Dockerfile: the runtime stage has no CMD in exec form (["node", ...])');
} else {
  const prog = program('(the image CMD)', JSON.parse(cmd.args) as string[]);
  if (prog) {
    const closure = importClosure(prog.module);
    for (const f of importClosure(prog.entry).files) closure.files.add(f);
    for (const f of closure.files) if (!imageFiles.has(f)) error(`Dockerfile CMD: ${f} is imported by ${prog.module}'s program but not copied into the image`);
    for (const [pkg, by] of closure.packages) if (!isProdPackage(pkg)) error(`Dockerfile CMD: ${by} imports ${pkg}, which npm ci --omit=dev does not install`);
  }
}

// The topics job creates every topic the services need (it creates all of TOPICS without arguments).
const topicsJob = ours.find(([, s]) => (s.command ?? []).some((a) => a.endsWith('create-topics.ts')));
if (!topicsJob) {
  warn('no topics job (scripts/compose/create-topics.ts): the services need KAFKA_ALLOW_TOPIC_CREATION=true');
  for (const [name, s] of ours) if (s.environment?.PORT && !/^(true|1|yes|on)$/i.test(s.environment.KAFKA_ALLOW_TOPIC_CREATION ?? '')) error(`service ${name}: no topics job, and KAFKA_ALLOW_TOPIC_CREATION is not true`);
} else {
  const cmd = topicsJob[1].command!;
  const explicit = cmd.slice(cmd.findIndex((a) => a.endsWith('create-topics.ts')) + 1);
  const created = new Set(explicit.length > 0 ? explicit : Object.values(TOPICS));
  for (const [topic, by] of topicsNeeded) if (!created.has(topic)) error(`the topics job does not create ${topic}, which ${by} needs`);
  if (topicsJob[1].restart && topicsJob[1].restart !== 'no') warn(`service ${topicsJob[0]}: a one-shot job with restart: ${topicsJob[1].restart}`);
}

// ---------------------------------------------------------------------------------------------
// Wiring of every service

const hostPorts = new Map<string, string>();
for (const [name, svc] of services) {
  if (!svc.restart) error(`service ${name}: no restart policy`);
  else if (!/^(no|always|unless-stopped|on-failure(:\d+)?)$/.test(svc.restart)) error(`service ${name}: restart: ${svc.restart} is not a restart policy`);
  if (!svc.deploy?.resources?.limits?.memory) error(`service ${name}: no memory limit (deploy.resources.limits)`);
  const nets = Object.keys(svc.networks ?? { default: null });
  if (nets.includes('default') || nets.length === 0) error(`service ${name}: on the default network, not the named one`);
  for (const [dep, { condition }] of Object.entries(svc.depends_on ?? {})) {
    const target = model.services[dep];
    if (!target) continue; // compose-validate reports it
    if (condition === 'service_healthy' && (!target.healthcheck?.test || target.healthcheck.disable)) error(`service ${name} waits for ${dep} to be healthy, but ${dep} has no health check`);
    if (condition === 'service_completed_successfully' && ['always', 'unless-stopped'].includes(target.restart ?? '')) error(`service ${name} waits for ${dep} to complete, but ${dep} restarts ${target.restart}`);
    if (condition === 'service_started') warn(`service ${name} waits only for ${dep} to start, not to be healthy`);
  }
  const longRunning = ['always', 'unless-stopped'].includes(svc.restart ?? '');
  if (longRunning && (!svc.healthcheck?.test || svc.healthcheck.disable)) error(`service ${name}: a long-running service without a health check`);
  if (svc.container_name) error(`service ${name}: container_name ${svc.container_name} pins one container (no scaling, clashes between projects)`);
  const scalable = svc.deploy?.replicas !== undefined;
  for (const p of svc.ports ?? []) {
    if (scalable) error(`service ${name}: has deploy.replicas and publishes port ${p.target}: a second replica cannot bind it (use expose)`);
    const key = `${p.host_ip ?? '0.0.0.0'}:${p.published}`;
    if (p.published && hostPorts.has(key)) error(`services ${hostPorts.get(key)} and ${name} both publish ${key}`);
    hostPorts.set(key, name);
  }
  if (!isOurs(svc) && longRunning && !(svc.volumes ?? []).some((v) => v.type === 'volume' && v.source && model.volumes?.[v.source])) {
    error(`service ${name}: keeps its data in no named volume`);
  }
}

// ---------------------------------------------------------------------------------------------
// The raw file: every ${VAR} has a default, and the documentation names it

const body = raw.replace(/^\s*#.*$/gm, '');
for (const m of body.matchAll(/(?<!\$)\$(?:\{([A-Za-z_]\w*)([^}]*)\}|([A-Za-z_]\w*))/g)) {
  const v = m[1] ?? m[3];
  const mod = m[2] ?? '';
  if (!/^(:?-|:?\?)/.test(mod)) error(`${composePath}: $${m[1] ? `{${v}${mod}}` : v} has no default: write \${${v}:-default}`);
  if (!documented(v)) error(`docs/deployment.md does not name ${v} (a variable of ${composePath})`);
}

// docs/kafka.md's table of KAFKA_* variables is the bus's.
const kafkaDoc = isFile('docs/kafka.md') ? read('docs/kafka.md') : '';
const kafkaDocVars = new Set([...kafkaDoc.matchAll(/^\|\s*`(KAFKA_[A-Z0-9_]+)`/gm)].map((m) => m[1]));
for (const v of KAFKA_VARS) if (!kafkaDocVars.has(v)) error(`docs/kafka.md's variable table lacks ${v} (KAFKA_ENV in services/shared/src/bus/kafka-env.ts)`);
for (const v of kafkaDocVars) if (!KAFKA_VARS.includes(v)) error(`docs/kafka.md lists ${v}, which the bus does not read`);

// ---------------------------------------------------------------------------------------------

for (const w of warnings) console.log(`  warning: ${w}`);
for (const e of errors) console.log(`  error: ${e}`);
const names = ours.map(([n]) => n).join(', ');
if (errors.size > 0) {
  console.log(`check-model: ${errors.size} problem(s)`);
  process.exit(1);
}
console.log(`check-model: ok (${services.length} services; Saferoads image: ${names}; ${imageFiles.size} files in the image; ${workspaces.length} workspaces)`);
