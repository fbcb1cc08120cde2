/**
 * The map page, loaded on first visit (MapLibre and the Natural Earth boundaries are large). If
 * its code fails to arrive the boundary says so in place of the map, and "Try again" asks the
 * node for it again (React keeps a failed lazy import for good, so each attempt is a new one).
 */
import { lazy, Suspense, useMemo, useState } from 'react';
import { ErrorBoundary } from './ErrorBoundary';

export function LazyMap() {
  const [attempt, setAttempt] = useState(0);
  const MapPage = useMemo(() => lazy(() => import('../pages/MapPage')), [attempt]);
  return (
    <ErrorBoundary what="the map" onRetry={() => setAttempt((n) => n + 1)}>
      <Suspense fallback={<p>Loading the map…</p>}>
        <MapPage />
      </Suspense>
    </ErrorBoundary>
  );
}
