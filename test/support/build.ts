/**
 * Vitest global setup: the CLI tests run the built binary (bin/parley.js → dist/src/cli/main.js).
 * `npm test` builds in `pretest`; a bare `npx vitest run` rebuilds here only when dist is missing
 * or older than a source file, so the common case costs one directory walk.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const builtCli = join(root, 'dist/src/cli/main.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'console' && entry.name !== 'node_modules') newest = Math.max(newest, newestSource(path));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

export default function setup(): void {
  const sources = Math.max(...['src', 'bench'].filter((d) => existsSync(join(root, d))).map((d) => newestSource(join(root, d))));
  if (existsSync(builtCli) && statSync(builtCli).mtimeMs >= sources) return;
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], { cwd: root, stdio: 'pipe' });
  } catch (e) {
    // tsc still emits on type errors; the CLI tests can run if the binary exists, and say why they fail if not.
    const out = (e as { stdout?: Buffer }).stdout?.toString() ?? String(e);
    if (!existsSync(builtCli)) throw new Error(`the build failed and ${builtCli} is missing:\n${out}`);
    console.warn(`tsc reported errors; testing the emitted build anyway:\n${out}`);
  }
}
