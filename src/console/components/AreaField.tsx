/**
 * An area (GeoJSON) field, three ways: the JSON as text; a table of corners, latitude and
 * longitude in named columns, checked as typed and closed automatically; or a drawing on the map.
 * The table and the drawing write the field's text, and the preview map draws that text, so what
 * is previewed, checked and signed is one polygon, [longitude, latitude] as GeoJSON wants.
 */
import { lazy, Suspense, useMemo, useState, type ReactNode } from 'react';
import { cornersOf, readCorners, type Corner, type Polygon } from '../app/corners';
import { ErrorBoundary } from './ErrorBoundary';

const AreaDrawer = lazy(() => import('./AreaDrawer'));
const AreaPreview = lazy(() => import('./AreaPreview'));

function polygonOf(text: string): Polygon | undefined {
  try {
    const v = JSON.parse(text) as Polygon;
    return v && v.type === 'Polygon' && Array.isArray(v.coordinates) && Array.isArray(v.coordinates[0]) && v.coordinates[0].length >= 4 ? v : undefined;
  } catch {
    return undefined;
  }
}

export function AreaField(props: { text: string; onText: (t: string) => void; textarea: ReactNode; id: string }) {
  const [mode, setMode] = useState<'json' | 'table' | 'draw'>('json');
  const initial = useMemo(() => polygonOf(props.text), [mode]); // eslint-disable-line react-hooks/exhaustive-deps
  const drawn = polygonOf(props.text);
  const toggle = (m: 'table' | 'draw') => setMode((now) => (now === m ? 'json' : m));
  return (
    <div className="area-field">
      {props.textarea}
      <div className="actions">
        <button type="button" className="small" aria-expanded={mode === 'table'} onClick={() => toggle('table')}>
          {mode === 'table' ? 'Back to JSON' : 'Type the corners'}
        </button>
        <button type="button" className="small" aria-expanded={mode === 'draw'} onClick={() => toggle('draw')}>
          {mode === 'draw' ? 'Close the map' : 'Draw on the map'}
        </button>
        {drawn && (
          <span className="muted small" data-testid="area-summary">
            Polygon of {drawn.coordinates[0]!.length - 1} corners, from {fmt(drawn.coordinates[0]![0]!)}
          </span>
        )}
      </div>
      {mode === 'table' && <CornerTable id={props.id} initial={cornersOf(initial)} onText={props.onText} />}
      {mode !== 'json' && (
        <ErrorBoundary what="the map">
          <Suspense fallback={<p>Loading the map…</p>}>
            {mode === 'draw' ? <AreaDrawer initial={initial} onDrawn={(p) => props.onText(JSON.stringify(p))} /> : <AreaPreview polygon={drawn} />}
          </Suspense>
        </ErrorBoundary>
      )}
    </div>
  );
}

/** The corners, one row each; every problem shown beside its cell and listed under the table. Until the table is right the field is empty, so nothing half-typed is signed. */
function CornerTable(props: { id: string; initial: Corner[]; onText: (t: string) => void }) {
  const [rows, setRows] = useState<Corner[]>(() => {
    const r = [...props.initial];
    while (r.length < 4) r.push({ lat: '', lon: '' });
    return r;
  });
  const read = readCorners(rows);
  const problems = read.ok ? [] : read.problems;
  const edit = (next: Corner[]) => {
    setRows(next);
    const r = readCorners(next);
    props.onText(r.ok ? JSON.stringify(r.polygon) : '');
  };
  const cellProblem = (row: number, column: 'lat' | 'lon') => problems.find((p) => p.row === row && p.column === column);
  const listId = `${props.id}-corners-problems`;
  const untouched = rows.every((r) => !r.lat.trim() && !r.lon.trim());
  return (
    <div className="corner-table">
      <table className="dense" data-testid="corner-table">
        <caption className="hint">Corners in order around the area, in decimal degrees (negative for south and west); the first corner closes it.</caption>
        <thead>
          <tr>
            <th scope="col">Corner</th>
            <th scope="col">Latitude (−90 to 90)</th>
            <th scope="col">Longitude (−180 to 180)</th>
            <th scope="col">
              <span className="vh">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <th scope="row">{i + 1}</th>
              {(['lat', 'lon'] as const).map((column) => {
                const bad = cellProblem(i + 1, column);
                return (
                  <td key={column}>
                    <input
                      type="text"
                      inputMode="decimal"
                      size={11}
                      aria-label={`Corner ${i + 1} ${column === 'lat' ? 'latitude' : 'longitude'}`}
                      aria-invalid={bad ? true : undefined}
                      aria-describedby={bad ? listId : undefined}
                      value={r[column]}
                      onChange={(e) => edit(rows.map((x, j) => (j === i ? { ...x, [column]: e.target.value } : x)))}
                    />
                  </td>
                );
              })}
              <td>
                <button type="button" className="small" aria-label={`Remove corner ${i + 1}`} onClick={() => edit(rows.filter((_, j) => j !== i))}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="small" onClick={() => setRows([...rows, { lat: '', lon: '' }])}>
        Add a corner
      </button>
      {!untouched && problems.length > 0 && (
        <ul id={listId} className="field-problem" data-testid="corner-problems">
          {problems.map((p, i) => (
            <li key={i}>{p.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A corner for people: latitude first, with hemispheres, so a swapped pair is seen at once. */
function fmt([lon, lat]: number[]): string {
  return `${Math.abs(lat!).toFixed(4)}°${lat! >= 0 ? 'N' : 'S'} ${Math.abs(lon!).toFixed(4)}°${lon! >= 0 ? 'E' : 'W'}`;
}
