/**
 * An area (GeoJSON) field: the JSON as text, and a button that opens the map to draw it instead.
 * What is drawn is written into the text, so the preview and the check see exactly what is signed.
 */
import { lazy, Suspense, useMemo, useState, type ReactNode } from 'react';
import { ErrorBoundary } from './ErrorBoundary';
import type { Polygon } from './AreaDrawer';

const AreaDrawer = lazy(() => import('./AreaDrawer'));

function polygonOf(text: string): Polygon | undefined {
  try {
    const v = JSON.parse(text) as Polygon;
    return v && v.type === 'Polygon' && Array.isArray(v.coordinates) && Array.isArray(v.coordinates[0]) && v.coordinates[0].length >= 4 ? v : undefined;
  } catch {
    return undefined;
  }
}

export function AreaField(props: { text: string; onText: (t: string) => void; textarea: ReactNode }) {
  const [drawing, setDrawing] = useState(false);
  const initial = useMemo(() => polygonOf(props.text), [drawing]); // eslint-disable-line react-hooks/exhaustive-deps
  const drawn = polygonOf(props.text);
  return (
    <div className="area-field">
      {props.textarea}
      <div className="actions">
        <button type="button" className="small" aria-expanded={drawing} onClick={() => setDrawing((d) => !d)}>
          {drawing ? 'Close the map' : 'Draw on the map'}
        </button>
        {drawn && (
          <span className="muted small" data-testid="area-summary">
            Polygon of {drawn.coordinates[0]!.length - 1} corners, from {fmt(drawn.coordinates[0]![0]!)}
          </span>
        )}
      </div>
      {drawing && (
        <ErrorBoundary what="the map for drawing">
          <Suspense fallback={<p>Loading the map…</p>}>
            <AreaDrawer initial={initial} onDrawn={(p) => props.onText(JSON.stringify(p))} />
          </Suspense>
        </ErrorBoundary>
      )}
    </div>
  );
}

/** A corner for people: latitude first, with hemispheres, so a swapped pair is seen at once. */
function fmt([lon, lat]: number[]): string {
  return `${Math.abs(lat!).toFixed(4)}°${lat! >= 0 ? 'N' : 'S'} ${Math.abs(lon!).toFixed(4)}°${lon! >= 0 ? 'E' : 'W'}`;
}
