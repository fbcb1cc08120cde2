/**
 * Places named on the console's offline maps: the capitals of the OSCE area (and Washington), and
 * the places the regimes' records speak of (the Aegis Ashore sites, the border towns of the 2021–22
 * crisis, the venues of the talks). Positions are city centres, rounded to 0.01° (about 1 km) —
 * public geographic facts, enough to tell where an area lies, not to survey one. Latitude and
 * longitude are named, not ordered, so this table cannot swap them; `placesGeoJson` writes them
 * in GeoJSON's [longitude, latitude] order.
 */
export interface Place {
  name: string;
  lat: number;
  lon: number;
  /** Capitals are named from the widest view; other places once the map is closer. */
  kind: 'capital' | 'place';
}

const capital = (name: string, lat: number, lon: number): Place => ({ name, lat, lon, kind: 'capital' });
const place = (name: string, lat: number, lon: number): Place => ({ name, lat, lon, kind: 'place' });

export const PLACES: readonly Place[] = [
  capital('Amsterdam', 52.37, 4.9),
  capital('Ankara', 39.93, 32.85),
  capital('Athens', 37.98, 23.73),
  capital('Baku', 40.41, 49.87),
  capital('Belgrade', 44.79, 20.45),
  capital('Berlin', 52.52, 13.4),
  capital('Bern', 46.95, 7.45),
  capital('Bratislava', 48.15, 17.11),
  capital('Brussels', 50.85, 4.35),
  capital('Bucharest', 44.43, 26.1),
  capital('Budapest', 47.5, 19.04),
  capital('Chișinău', 47.01, 28.86),
  capital('Copenhagen', 55.68, 12.57),
  capital('Dublin', 53.35, -6.26),
  capital('Helsinki', 60.17, 24.94),
  capital('Kyiv', 50.45, 30.52),
  capital('Lisbon', 38.72, -9.14),
  capital('Ljubljana', 46.06, 14.51),
  capital('London', 51.51, -0.13),
  capital('Madrid', 40.42, -3.7),
  capital('Minsk', 53.9, 27.56),
  capital('Moscow', 55.76, 37.62),
  capital('Oslo', 59.91, 10.75),
  capital('Paris', 48.86, 2.35),
  capital('Podgorica', 42.44, 19.26),
  capital('Prague', 50.08, 14.44),
  capital('Riga', 56.95, 24.11),
  capital('Rome', 41.9, 12.5),
  capital('Sarajevo', 43.86, 18.41),
  capital('Skopje', 41.99, 21.43),
  capital('Sofia', 42.7, 23.32),
  capital('Stockholm', 59.33, 18.07),
  capital('Tallinn', 59.44, 24.75),
  capital('Tbilisi', 41.72, 44.79),
  capital('Tirana', 41.33, 19.82),
  capital('Vienna', 48.21, 16.37),
  capital('Vilnius', 54.69, 25.28),
  capital('Warsaw', 52.23, 21.01),
  capital('Washington', 38.9, -77.04),
  capital('Yerevan', 40.18, 44.51),
  capital('Zagreb', 45.81, 15.98),
  place('Belgorod', 50.6, 36.59),
  place('Brest', 52.1, 23.7),
  place('Chernihiv', 51.49, 31.29),
  place('Deveselu', 44.08, 24.39),
  place('Donetsk', 48.0, 37.8),
  place('Geneva', 46.2, 6.14),
  place('Gomel', 52.43, 30.98),
  place('Kaliningrad', 54.71, 20.51),
  place('Kharkiv', 49.99, 36.23),
  place('Luhansk', 48.57, 39.31),
  place('Odesa', 46.48, 30.73),
  place('Redzikowo', 54.48, 17.1),
  place('Rostov-on-Don', 47.24, 39.71),
  place('Sevastopol', 44.62, 33.53),
  place('Voronezh', 51.67, 39.18),
  place('Yelnya', 54.58, 33.18),
];

export function placesGeoJson(list: readonly Place[] = PLACES): GeoJSON.FeatureCollection<GeoJSON.Point> {
  return {
    type: 'FeatureCollection',
    features: list.map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: { name: p.name, kind: p.kind } })),
  };
}
