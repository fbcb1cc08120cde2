/**
 * An area typed as a table of corners, latitude and longitude in their own named columns: read,
 * checked (each value a number in range, at least three distinct corners) and closed into the
 * GeoJSON Polygon that is signed, [longitude, latitude] as GeoJSON wants. Since the columns are
 * named and the order is written here once, a latitude cannot end up as a longitude.
 */
export interface Corner {
  lat: string;
  lon: string;
}

export interface Polygon {
  type: 'Polygon';
  coordinates: number[][][];
}

export type CornersRead = { ok: true; polygon: Polygon } | { ok: false; problems: { row?: number; column?: 'lat' | 'lon'; message: string }[] };

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** The corners as a closed polygon, or every problem with them (rows counted from 1). Empty rows are left out. */
export function readCorners(rows: readonly Corner[]): CornersRead {
  const problems: Extract<CornersRead, { ok: false }>['problems'] = [];
  const points: [lon: number, lat: number][] = [];
  rows.forEach((r, i) => {
    const lat = r.lat.trim(), lon = r.lon.trim();
    if (!lat && !lon) return;
    const row = i + 1;
    const read = (text: string, column: 'lat' | 'lon', limit: number, name: string): number | undefined => {
      if (!text) problems.push({ row, column, message: `corner ${row}: the ${name} is missing` });
      else if (!NUMBER.test(text)) problems.push({ row, column, message: `corner ${row}: the ${name} "${text}" is not a number of degrees (decimal, negative for ${column === 'lat' ? 'south' : 'west'})` });
      else if (Math.abs(Number(text)) > limit) problems.push({ row, column, message: `corner ${row}: the ${name} ${text} is outside −${limit} to ${limit}` });
      else return Number(text);
      return undefined;
    };
    const y = read(lat, 'lat', 90, 'latitude');
    const x = read(lon, 'lon', 180, 'longitude');
    if (x !== undefined && y !== undefined) points.push([x, y]);
  });
  // The ring is closed here: a last corner equal to the first is the same corner.
  if (points.length > 1 && same(points[0]!, points[points.length - 1]!)) points.pop();
  const distinct = points.filter((p, i) => points.findIndex((q) => same(p, q)) === i);
  if (problems.length === 0 && distinct.length < 3) problems.push({ message: `an area needs at least 3 distinct corners (${distinct.length} given)` });
  if (problems.length === 0 && distinct.length !== points.length) problems.push({ message: 'a corner is given twice: each corner once, in order around the area' });
  if (problems.length) return { ok: false, problems };
  return { ok: true, polygon: { type: 'Polygon', coordinates: [[...points, points[0]!]] } };
}

/** The table for a polygon already in the field: its outer ring, without the closing corner. */
export function cornersOf(p: Polygon | undefined): Corner[] {
  const ring = p?.coordinates[0] ?? [];
  const open = ring.length > 1 && same(ring[0]!, ring[ring.length - 1]!) ? ring.slice(0, -1) : ring;
  return open.map(([lon, lat]) => ({ lat: String(lat), lon: String(lon) }));
}

function same(a: readonly number[], b: readonly number[]): boolean {
  return a[0] === b[0] && a[1] === b[1];
}
