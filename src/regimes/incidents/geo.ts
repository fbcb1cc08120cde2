/**
 * The geodesy of close-encounter detection: positions on the WGS 84 ellipsoid turned into
 * Earth-centred coordinates (ECEF, metres), and differences between nearby positions read on the
 * local tangent plane (east, north) of one of them. ECEF has no seam at the antimeridian and no
 * singularity at the poles, so two units either side of 180° or near the pole are as near as they
 * are. Over the distances an encounter is judged at (kilometres), the tangent plane's east–north
 * distance differs from the geodesic by less than (d/R)² / 8 of d.
 *
 * Pure: no I/O, no clock.
 */

const A = 6_378_137;
const F = 1 / 298.257223563;
const E2 = F * (2 - F);
const RAD = Math.PI / 180;

/** A position: degrees north, degrees east, metres above the ellipsoid. */
export interface GeoPoint {
  lat: number;
  lon: number;
  alt: number;
}

/** Earth-centred coordinates and the tangent-plane basis of a position. */
export interface Frame {
  x: number;
  y: number;
  z: number;
  sinLat: number;
  cosLat: number;
  sinLon: number;
  cosLon: number;
}

/** ECEF coordinates (metres) and the east/north basis at `p`. */
export function frame(lat: number, lon: number, alt: number): Frame {
  const sinLat = Math.sin(lat * RAD);
  const cosLat = Math.cos(lat * RAD);
  const sinLon = Math.sin(lon * RAD);
  const cosLon = Math.cos(lon * RAD);
  const n = A / Math.sqrt(1 - E2 * sinLat * sinLat);
  return { x: (n + alt) * cosLat * cosLon, y: (n + alt) * cosLat * sinLon, z: (n * (1 - E2) + alt) * sinLat, sinLat, cosLat, sinLon, cosLon };
}

/** East component of an ECEF difference on the tangent plane with basis `f`. */
export function east(f: Pick<Frame, 'sinLon' | 'cosLon'>, dx: number, dy: number): number {
  return -f.sinLon * dx + f.cosLon * dy;
}

/** North component of an ECEF difference on the tangent plane with basis `f`. */
export function north(f: Pick<Frame, 'sinLat' | 'cosLat' | 'sinLon' | 'cosLon'>, dx: number, dy: number, dz: number): number {
  return -f.sinLat * f.cosLon * dx - f.sinLat * f.sinLon * dy + f.cosLat * dz;
}

/** Horizontal distance in metres between two nearby positions, on the tangent plane of the first. */
export function horizontalMetres(a: GeoPoint, b: GeoPoint): number {
  const fa = frame(a.lat, a.lon, a.alt);
  const fb = frame(b.lat, b.lon, b.alt);
  const dx = fb.x - fa.x;
  const dy = fb.y - fa.y;
  const dz = fb.z - fa.z;
  return Math.hypot(east(fa, dx, dy), north(fa, dx, dy, dz));
}

/**
 * The position `metres` away from `p` along a bearing (degrees from true north), on the tangent
 * plane of `p` brought back to the ellipsoid (accurate to centimetres over tens of kilometres).
 * Longitudes come back in (−180, 180].
 */
export function offset(p: GeoPoint, bearing: number, metres: number): GeoPoint {
  const f = frame(p.lat, p.lon, p.alt);
  const e = metres * Math.sin(bearing * RAD);
  const nn = metres * Math.cos(bearing * RAD);
  // ECEF of the tangent-plane point, then back to geodetic (Bowring's method, one iteration suffices at these heights).
  const x = f.x - f.sinLon * e - f.sinLat * f.cosLon * nn;
  const y = f.y + f.cosLon * e - f.sinLat * f.sinLon * nn;
  const z = f.z + f.cosLat * nn;
  const q = geodetic(x, y, z);
  // The tangent plane rises above the ellipsoid with distance: keep the altitude the caller gave.
  return { lat: q.lat, lon: q.lon, alt: p.alt };
}

/** Geodetic latitude, longitude (degrees) and height of an ECEF point (Bowring). */
export function geodetic(x: number, y: number, z: number): GeoPoint {
  const b = A * (1 - F);
  const ep2 = (A * A - b * b) / (b * b);
  const p = Math.hypot(x, y);
  const th = Math.atan2(z * A, p * b);
  const lat = Math.atan2(z + ep2 * b * Math.sin(th) ** 3, p - E2 * A * Math.cos(th) ** 3);
  const lon = Math.atan2(y, x);
  const sinLat = Math.sin(lat);
  const n = A / Math.sqrt(1 - E2 * sinLat * sinLat);
  const alt = Math.abs(Math.cos(lat)) > 1e-9 ? p / Math.cos(lat) - n : Math.abs(z) - b;
  return { lat: lat / RAD, lon: lon / RAD === -180 ? 180 : lon / RAD, alt };
}
