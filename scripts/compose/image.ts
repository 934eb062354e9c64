/**
 * What the Dockerfile puts into the image, worked out without a Docker engine. Used by
 * check-model.ts and smoke.ts (scripts/check-compose.sh).
 *
 * - `imageLayout` reads the Dockerfile statically: its stages and instructions, and which
 *   build-context files end up where in each stage (COPY from the context less .dockerignore;
 *   COPY --from another stage brings what that stage copied under the path it names).
 * - `emulateBuild` builds the stages' application directory for real, in a local directory per
 *   stage: COPY as above, RUN through `sh -c` in that directory with the stage's ENV. That is
 *   the image's WORKDIR on this machine's Node instead of the base image's (no engine here).
 *
 * Only the Dockerfile syntax this project uses is understood: global ARG defaults, FROM image or
 * stage [AS name], one WORKDIR per stage that every COPY destination and RUN stays under, ENV
 * K=V, COPY with --from/--chown/--chmod/--link flags in shell or JSON form, RUN in shell form,
 * line continuations and comments. Anything else that would change files is reported.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';

export interface Instruction {
  readonly op: string;
  readonly args: string;
  readonly line: number;
}

export interface Stage {
  readonly name: string;
  readonly from: string;
  readonly instructions: Instruction[];
}

export interface Dockerfile {
  /** Global ARGs (before the first FROM) and their defaults. */
  readonly args: Map<string, string>;
  readonly stages: Stage[];
}

export function parseDockerfile(text: string): Dockerfile {
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let l = lines[i];
    if (/^\s*(#|$)/.test(l)) continue;
    while (/\\\s*$/.test(l) && i + 1 < lines.length) {
      i++;
      if (/^\s*#/.test(lines[i])) continue;
      l = l.replace(/\\\s*$/, ' ') + lines[i].trim();
    }
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(l);
    if (!m) continue;
    const op = m[1].toUpperCase();
    const rest = m[2].trim();
    if (op === 'FROM') {
      const f = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(rest)!;
      stages.push({ name: f[2] ?? String(stages.length), from: f[1], instructions: [] });
    } else if (op === 'ARG' && stages.length === 0) {
      const a = /^([A-Za-z_]\w*)(?:=(.*))?$/.exec(rest);
      if (a) args.set(a[1], (a[2] ?? '').replace(/^"(.*)"$/, '$1'));
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push({ op, args: rest, line: start });
    }
  }
  return { args, stages };
}

/** A stage's base with the global ARG defaults filled in: an image, or an earlier stage's name. */
export function baseImage(df: Dockerfile, stage: Stage): string {
  return stage.from.replace(/\$\{?(\w+)\}?/g, (_, n: string) => df.args.get(n) ?? `$${n}`);
}

export interface Copy {
  readonly from?: string;
  readonly sources: string[];
  readonly dest: string;
  readonly line: number;
}

export function parseCopy(args: string, line = 0): Copy {
  let rest = args;
  let from: string | undefined;
  for (;;) {
    const flag = /^--([a-z-]+)(?:=(\S+))?\s+/.exec(rest);
    if (!flag) break;
    if (flag[1] === 'from') from = flag[2];
    rest = rest.slice(flag[0].length);
  }
  const parts = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : rest.split(/\s+/);
  return { from, sources: parts.slice(0, -1), dest: parts[parts.length - 1], line };
}

export const copies = (stage: Stage): Copy[] => stage.instructions.filter((i) => i.op === 'COPY' || i.op === 'ADD').map((i) => parseCopy(i.args, i.line));

/** Context-relative form of a COPY source: no leading ./ nor trailing /, "." for the root. */
export const contextPath = (s: string) => posix.normalize(s.replace(/\/+$/, '') || '.').replace(/^\.\//, '');

// ---------------------------------------------------------------------------------------------
// .dockerignore, with Docker's rules: patterns are Go filepath.Match globs plus `**`, relative to
// the context root; a pattern excludes a path when it matches the path or one of its parent
// directories; `!` re-includes; the last matching pattern wins.

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      if (glob[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export type IgnoreMatcher = (rel: string) => boolean;

export function dockerignore(text: string): IgnoreMatcher {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const p = posix.normalize((negate ? l.slice(1) : l).trim().replace(/^\/+/, ''));
      return { re: globToRegExp(p), negate };
    });
  return (rel) => {
    const parts = rel.split('/');
    let out = false;
    for (const r of rules) {
      for (let n = 1; n <= parts.length; n++) {
        if (r.re.test(parts.slice(0, n).join('/'))) {
          out = !r.negate;
          break;
        }
      }
    }
    return out;
  };
}

// ---------------------------------------------------------------------------------------------
// Static layout

export interface StageLayout {
  readonly stage: Stage;
  /** The stage's WORKDIR (absolute). */
  readonly workdir: string;
  readonly env: Record<string, string>;
  /** Files under WORKDIR that come from the build context: path in the stage -> context path. */
  readonly files: Map<string, string>;
}

export interface ImageLayout {
  readonly dockerfile: Dockerfile;
  readonly stages: StageLayout[];
  /** The stage that runs npm ci. */
  readonly depsStage: Stage | undefined;
  /** The last stage: what runs. */
  readonly runtimeStage: Stage;
  /** Context files in the runtime image, by their path under WORKDIR (generated files not included). */
  readonly imageFiles: Map<string, string>;
  /** What cannot be so or cannot be worked out: missing or ignored COPY sources, unknown syntax. */
  readonly problems: string[];
}

/** Where a COPY source lands, relative to WORKDIR; null when outside it. */
function destination(c: Copy, workdir: string): string | null {
  const abs = c.dest.startsWith('/') ? posix.normalize(c.dest) : posix.join(workdir, c.dest);
  if (abs !== workdir && !abs.startsWith(`${workdir}/`)) return null;
  return posix.relative(workdir, abs);
}

export function imageLayout(root: string, dockerfilePath = 'Dockerfile'): ImageLayout {
  const df = parseDockerfile(readFileSync(join(root, dockerfilePath), 'utf8'));
  const ignorePath = join(root, '.dockerignore');
  const ignored = dockerignore(existsSync(ignorePath) ? readFileSync(ignorePath, 'utf8') : '');
  const problems: string[] = [];
  const at = (line: number) => `${dockerfilePath}:${line}`;

  /** Context files under `rel` (itself if a file), less .dockerignore. */
  const walk = (rel: string, into: string[]) => {
    if ((rel !== '.' && ignored(rel)) || !existsSync(join(root, rel))) return;
    if (statSync(join(root, rel)).isDirectory()) {
      for (const e of readdirSync(join(root, rel)).sort()) walk(rel === '.' ? e : `${rel}/${e}`, into);
    } else {
      into.push(rel);
    }
  };

  const stages: StageLayout[] = [];
  for (const stage of df.stages) {
    const base = stages.find((s) => s.stage.name === baseImage(df, stage));
    let workdir = base?.workdir ?? '/';
    const env: Record<string, string> = { ...base?.env };
    const files = new Map(base?.files);
    for (const ins of stage.instructions) {
      if (ins.op === 'WORKDIR') {
        const next = posix.resolve(workdir, ins.args);
        if (files.size > 0 && next !== workdir) problems.push(`${at(ins.line)}: a second WORKDIR is not supported by this check`);
        workdir = next;
      } else if (ins.op === 'ENV') {
        for (const m of ins.args.matchAll(/([A-Za-z_]\w*)=("[^"]*"|\S*)/g)) env[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
      } else if (ins.op === 'COPY' || ins.op === 'ADD') {
        const c = parseCopy(ins.args, ins.line);
        const dest = destination(c, workdir);
        if (dest === null) {
          problems.push(`${at(ins.line)}: COPY to ${c.dest}, outside WORKDIR ${workdir}: not supported by this check`);
          continue;
        }
        const intoDir = c.sources.length > 1 || c.dest.endsWith('/') || c.dest === '.';
        if (c.from === undefined) {
          for (const src of c.sources.map(contextPath)) {
            if (!existsSync(join(root, src))) {
              problems.push(`${at(ins.line)}: COPY source ${src} does not exist`);
              continue;
            }
            if (src !== '.' && ignored(src)) problems.push(`${at(ins.line)}: COPY source ${src} is excluded by .dockerignore`);
            const found: string[] = [];
            walk(src, found);
            const isDir = statSync(join(root, src)).isDirectory();
            for (const f of found) {
              const inside = isDir ? (src === '.' ? f : f.slice(src.length + 1)) : intoDir ? posix.basename(f) : '';
              files.set(posix.normalize(posix.join(dest, inside)) || '.', f);
            }
          }
        } else {
          const from = stages.find((s) => s.stage.name === c.from);
          if (!from) {
            problems.push(`${at(ins.line)}: COPY --from=${c.from}: not a stage of this Dockerfile`);
            continue;
          }
          for (const src of c.sources) {
            const abs = posix.resolve(from.workdir, src);
            if (abs !== from.workdir && !abs.startsWith(`${from.workdir}/`)) {
              problems.push(`${at(ins.line)}: COPY --from=${c.from} ${src}, outside that stage's WORKDIR: not supported by this check`);
              continue;
            }
            const prefix = posix.relative(from.workdir, abs);
            for (const [p, ctx] of from.files) {
              if (prefix === '' || p === prefix || p.startsWith(`${prefix}/`)) files.set(posix.normalize(posix.join(dest, prefix === '' ? p : p.slice(prefix.length + 1) || posix.basename(p))), ctx);
            }
          }
        }
      }
    }
    stages.push({ stage, workdir, env, files });
  }
  const last = stages[stages.length - 1];
  return {
    dockerfile: df,
    stages,
    depsStage: df.stages.find((s) => s.instructions.some((i) => i.op === 'RUN' && /\bnpm ci\b/.test(i.args))),
    runtimeStage: last.stage,
    imageFiles: last.files,
    problems: [...new Set(problems)],
  };
}

// ---------------------------------------------------------------------------------------------
// Emulated build

/**
 * Builds every stage's WORKDIR in `out/<stage>` and returns the runtime stage's directory. RUN
 * commands run in the stage's directory with PATH and the stage's ENV; `log` gets each step.
 * Throws on the first RUN that fails, with its output's tail.
 */
export function emulateBuild(root: string, out: string, log: (line: string) => void, dockerfilePath = 'Dockerfile'): string {
  const layout = imageLayout(root, dockerfilePath);
  if (layout.problems.length > 0) throw new Error(layout.problems.join('\n'));
  const ignorePath = join(root, '.dockerignore');
  const ignored = dockerignore(existsSync(ignorePath) ? readFileSync(ignorePath, 'utf8') : '');
  const dirs = new Map<string, string>();
  const put = (source: string, target: string) => {
    mkdirSync(dirname(target), { recursive: true });
    cpSync(source, target, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
  };
  for (const s of layout.stages) {
    const dir = join(out, s.stage.name);
    const baseName = baseImage(layout.dockerfile, s.stage);
    const base = dirs.get(baseName);
    mkdirSync(dir, { recursive: true });
    if (base) cpSync(base, dir, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    const env: Record<string, string> = { ...layout.stages.find((x) => x.stage.name === baseName)?.env };
    for (const ins of s.stage.instructions) {
      if (ins.op === 'ENV') {
        for (const m of ins.args.matchAll(/([A-Za-z_]\w*)=("[^"]*"|\S*)/g)) env[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
      } else if (ins.op === 'COPY' || ins.op === 'ADD') {
        const c = parseCopy(ins.args, ins.line);
        const dest = join(dir, destination(c, s.workdir)!);
        const intoDir = c.sources.length > 1 || c.dest.endsWith('/') || c.dest === '.';
        if (c.from === undefined) {
          // Context files less .dockerignore; a directory's contents go into the destination.
          for (const src of c.sources.map(contextPath)) {
            const isDir = statSync(join(root, src)).isDirectory();
            const walk = (rel: string) => {
              if ((rel !== '.' && ignored(rel)) || !existsSync(join(root, rel))) return;
              if (statSync(join(root, rel)).isDirectory()) {
                for (const e of readdirSync(join(root, rel))) walk(rel === '.' ? e : `${rel}/${e}`);
              } else {
                const inside = isDir ? (src === '.' ? rel : rel.slice(src.length + 1)) : intoDir ? posix.basename(rel) : '';
                put(join(root, rel), join(dest, inside));
              }
            };
            walk(src);
          }
        } else {
          const from = layout.stages.find((x) => x.stage.name === c.from)!;
          for (const src of c.sources) {
            const source = join(dirs.get(from.stage.name)!, posix.relative(from.workdir, posix.resolve(from.workdir, src)));
            const isDir = statSync(source).isDirectory();
            put(source, isDir || !intoDir ? dest : join(dest, posix.basename(source)));
          }
        }
      } else if (ins.op === 'RUN') {
        if (ins.args.startsWith('[') || ins.args.startsWith('--')) throw new Error(`${dockerfilePath}:${ins.line}: only shell-form RUN without flags is emulated`);
        log(`${s.stage.name}: RUN ${ins.args}`);
        const r = spawnSync('sh', ['-c', ins.args], { cwd: dir, env: { PATH: process.env.PATH, HOME: out, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
        if (r.status !== 0) {
          const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trimEnd().split('\n').slice(-30).join('\n');
          throw new Error(`${dockerfilePath}:${ins.line}: RUN exited ${r.status ?? r.signal}:\n${output}`);
        }
      }
    }
    dirs.set(s.stage.name, dir);
  }
  return dirs.get(layout.runtimeStage.name)!;
}
