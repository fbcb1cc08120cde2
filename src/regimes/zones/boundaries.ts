/**
 * Bands of agreed width on each side of the border between two parties, from the Natural Earth
 * country boundaries Parley ships (world-atlas TopoJSON, 1:50m or 1:10m): the border is the arc
 * the two countries share (topojson-client's `mesh`), buffered by the width (turf) and cut to
 * each side's territory (turf `intersect`).
 *
 * Used when an agreement is written (`parley zones band`, the scenario): the agreement then
 * carries the band's GeoJSON and the band's description (`band: {between, widthKm}`), and every
 * evaluator reads the GeoJSON — never this file — so that the finding does not depend on which
 * boundary data a node has installed.
 *
 * @example
 *   const band = borderBand('RUS', 'UKR', 50);
 *   band.sides.RUS; // MultiPolygon: Russian territory within 50 km of the Russia–Ukraine border
 */
import { createRequire } from 'node:module';
import { buffer } from '@turf/buffer';
import { featureCollection } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { ParleyError } from '../../protocol/errors.js';
import type { Area } from './geometry.js';

/**
 * Party code (ISO 3166-1 alpha-3, as Parley writes parties) → ISO 3166-1 numeric, the id of a
 * country in Natural Earth's world-atlas: the OSCE's participating States and their neighbours.
 */
export const COUNTRY_NUMBER: Readonly<Record<string, string>> = Object.freeze({
  ALB: '008', AND: '020', ARM: '051', AUT: '040', AZE: '031', BEL: '056', BIH: '070', BGR: '100', BLR: '112', CAN: '124',
  CHE: '756', CYP: '196', CZE: '203', DEU: '276', DNK: '208', ESP: '724', EST: '233', FIN: '246', FRA: '250', GBR: '826',
  GEO: '268', GRC: '300', HRV: '191', HUN: '348', IRL: '372', ISL: '352', ITA: '380', KAZ: '398', KGZ: '417', LIE: '438',
  LTU: '440', LUX: '442', LVA: '428', MCO: '492', MDA: '498', MKD: '807', MLT: '470', MNE: '499', MNG: '496', NLD: '528',
  NOR: '578', POL: '616', PRT: '620', ROU: '642', RUS: '643', SMR: '674', SRB: '688', SVK: '703', SVN: '705', SWE: '752',
  TJK: '762', TKM: '795', TUR: '792', UKR: '804', USA: '840', UZB: '860', VAT: '336', CHN: '156', IRN: '364', SYR: '760',
  IRQ: '368',
});

export type Resolution = '50m' | '10m';
type Countries = Topology<{ countries: GeometryCollection<{ name: string }> }>;

const loaded = new Map<Resolution, Countries>();
function countries(resolution: Resolution): Countries {
  let t = loaded.get(resolution);
  if (!t) {
    t = createRequire(import.meta.url)(`world-atlas/countries-${resolution}.json`) as Countries;
    loaded.set(resolution, t);
  }
  return t;
}

function numberOf(party: string): string {
  const n = COUNTRY_NUMBER[party];
  if (!n) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `${party} is not a country this version maps to the boundary data (known: ${Object.keys(COUNTRY_NUMBER).join(', ')})`);
  return n;
}

/** Rounded to 1e-5 degrees (about a metre): what an agreement writes. */
function rounded(area: Area): Area {
  const r = (p: readonly number[]) => [Math.round(p[0] * 1e5) / 1e5, Math.round(p[1] * 1e5) / 1e5];
  return area.type === 'Polygon'
    ? { type: 'Polygon', coordinates: area.coordinates.map((ring) => ring.map(r)) }
    : { type: 'MultiPolygon', coordinates: area.coordinates.map((poly) => poly.map((ring) => ring.map(r))) };
}

export interface BorderBand {
  /** The shared border, as a MultiLineString. */
  border: { type: 'MultiLineString'; coordinates: number[][][] };
  /** Per party, its territory within `widthKm` of the border. */
  sides: Record<string, Area>;
  /** The country's whole territory, per party (to test what lies outside the band). */
  territory: Record<string, Area>;
}

/** The border between parties `a` and `b` and a band of `widthKm` on each side of it. */
export function borderBand(a: string, b: string, widthKm: number, resolution: Resolution = '50m'): BorderBand {
  if (!(widthKm > 0 && widthKm <= 1000)) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `a band's width is ${widthKm} km; it must be more than 0 and at most 1000 km`);
  const [na, nb] = [numberOf(a), numberOf(b)];
  const topo = countries(resolution);
  const object = topo.objects.countries;
  const line = mesh(topo, object, (x, y) => (x.id === na && y.id === nb) || (x.id === nb && y.id === na));
  if (!line.coordinates.length) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `${a} and ${b} share no land border in the boundary data`);
  const zone = buffer({ type: 'Feature', properties: {}, geometry: line }, widthKm, { units: 'kilometers' });
  if (!zone) throw new ParleyError('PARLEY_ERR_INTERNAL', `the ${widthKm} km buffer of the ${a}–${b} border is empty`);
  const sides: Record<string, Area> = {};
  const territory: Record<string, Area> = {};
  for (const [party, n] of [[a, na], [b, nb]] as const) {
    const g = object.geometries.find((x) => x.id === n);
    const land = feature(topo, g!) as unknown as { type: 'Feature'; properties: object; geometry: Area };
    territory[party] = land.geometry as Area;
    const cut = intersect(featureCollection([zone as never, land as never]));
    if (!cut) throw new ParleyError('PARLEY_ERR_INTERNAL', `the band on ${party}'s side of the ${a}–${b} border is empty`);
    sides[party] = rounded(cut.geometry as Area);
  }
  return { border: line as BorderBand['border'], sides, territory };
}
