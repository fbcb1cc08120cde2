/**
 * The layering of src/ (.dependency-cruiser.cjs): no import cycles, no import from a lower folder
 * into a higher one, a console that imports only itself and the wire types. The second case runs
 * the same rules over a tree that breaks them on purpose, so a green first case means something.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IForbiddenRuleType } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const config = require('../.dependency-cruiser.cjs') as { forbidden: IForbiddenRuleType[]; options: Record<string, unknown> };
const root = fileURLToPath(new URL('..', import.meta.url));

async function violationsIn(baseDir: string): Promise<string[]> {
  const reported = await cruise(['src'], { ...config.options, baseDir, validate: true, ruleSet: { forbidden: config.forbidden } });
  const result = reported.output as ICruiseResult;
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.cycle ? v.cycle.map((c) => c.name).join(' → ') : v.to}`);
}

describe('layering', () => {
  it('src has no cycle and no upward import', async () => {
    expect(await violationsIn(root)).toEqual([]);
  }, 120_000);

  it('reports a cycle, an upward import and a console reaching past its folder', async () => {
    const found = await violationsIn(fileURLToPath(new URL('fixtures/layering/', import.meta.url)));
    expect(found).toEqual(
      expect.arrayContaining([
        'layer-protocol: src/protocol/hash.ts → src/ledger/store.ts',
        expect.stringMatching(/^no-circular: src\/regimes\/(rules|engine)\.ts → /),
        'console-own-folder: src/console/page.ts → src/server/view.ts',
        'console-wire-type-only: src/console/page.ts → src/wire/types.ts',
      ]),
    );
    // The type-only import of the wire types by the server is allowed.
    expect(found.filter((v) => v.includes('src/server/view.ts →'))).toEqual([]);
  }, 60_000);
});
