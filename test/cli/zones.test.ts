/**
 * `parley zones band|list|status`: a band drawn from the shipped boundaries is zones terms an
 * agreement proposal accepts; bad input is refused with its code and exit status 2.
 */
import { afterAll, expect, it } from 'vitest';
import { catalogue } from '../../src/regimes/registry.js';
import { parley } from '../support/cli.js';
import { tempDir } from '../support/nodes.js';

const dir = tempDir('parley-zones-cli-');
afterAll(() => dir.remove());

it('draws a 50 km band on each side of the Belarus–Ukraine border as zones terms an agreement accepts', () => {
  const run = parley(['zones', 'band', '--between', 'BLR,UKR', '--width-km', '50', '--json']);
  expect(run.code, run.stderr).toBe(0);
  const terms = run.json() as { zones: Record<string, { side: string; band: { between: string[]; widthKm: number }; area: { type: string } }> };
  expect(Object.keys(terms.zones)).toEqual(['blr-ukr-blr', 'blr-ukr-ukr']);
  expect(terms.zones['blr-ukr-ukr']).toMatchObject({ side: 'UKR', band: { between: ['BLR', 'UKR'], widthKm: 50 } });
  expect(['Polygon', 'MultiPolygon']).toContain(terms.zones['blr-ukr-blr'].area.type);
  const proposal = { title: 'Bands', parties: ['BLR', 'UKR'], terms: { zones: terms }, effective: '2022-01-16T00:00:00Z' };
  expect(catalogue().validate('agreement.proposal', proposal).ok).toBe(true);
});

it('refuses what it cannot draw or read, with exit status 2', () => {
  const refused = (args: string[]) => {
    const r = parley([...args, '--json']);
    return [r.code, r.json().error.code];
  };
  expect(refused(['zones', 'band', '--between', 'RUS,ATL', '--width-km', '50'])).toEqual([2, 'PARLEY_ERR_BAD_ARGUMENT']);
  expect(refused(['zones', 'band', '--between', 'RUS', '--width-km', '50'])).toEqual([2, 'PARLEY_ERR_BAD_ARGUMENT']);
  expect(refused(['zones', 'band', '--between', 'RUS,UKR', '--width-km', '0'])).toEqual([2, 'PARLEY_ERR_BAD_ARGUMENT']);
  // Portugal and Russia share no border.
  expect(refused(['zones', 'band', '--between', 'PRT,RUS', '--width-km', '50'])).toEqual([2, 'PARLEY_ERR_BAD_ARGUMENT']);
  expect(refused(['zones', 'status', '--dir', dir.path, '--at', 'yesterday'])).toEqual([2, 'PARLEY_ERR_BAD_ARGUMENT']);
  expect(refused(['zones', 'list', '--dir', dir.path, '--at', '2022-02-14T00:00:00'])).toEqual([2, 'PARLEY_ERR_BAD_ARGUMENT']);
});
