/**
 * Drawing an area on the offline map (terra-draw on MapLibre): click the corners, click the first
 * corner again (or press Enter) to close; the polygon becomes the field's GeoJSON, in the
 * [longitude, latitude] order GeoJSON wants, so nobody types coordinates in the wrong order.
 * Loaded with the map's code, only when an officer asks to draw.
 */
import { useEffect, useRef, useState } from 'react';
import { TerraDraw, TerraDrawPolygonMode } from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import { EUROPE, openMap } from '../app/basemap';
import type { Polygon } from '../app/corners';
import { style } from '../pages/MapPage';
import { boundsOf } from './AreaPreview';

export default function AreaDrawer(props: { initial: Polygon | undefined; onDrawn: (p: Polygon) => void }) {
  const container = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);
  const onDrawn = useRef(props.onDrawn);
  onDrawn.current = props.onDrawn;

  useEffect(() => {
    if (!container.current) return;
    const bounds = props.initial ? boundsOf(props.initial) : EUROPE;
    const map = openMap(container.current, style(), { bounds });
    let draw: TerraDraw | undefined;
    map.on('load', () => {
      draw = new TerraDraw({ adapter: new TerraDrawMapLibreGLAdapter({ map }), modes: [new TerraDrawPolygonMode()] });
      draw.start();
      draw.setMode('polygon');
      draw.on('finish', (id) => {
        const f = draw!.getSnapshotFeature(id);
        if (f && f.geometry.type === 'Polygon') {
          const ring = (f.geometry.coordinates as number[][][])[0]!.map(([lon, lat]) => [round(lon!), round(lat!)]);
          onDrawn.current({ type: 'Polygon', coordinates: [ring] });
        }
        // One area per field: a new drawing replaces the last.
        for (const other of draw!.getSnapshot()) if (other.id !== id) draw!.removeFeatures([other.id!]);
      });
      setReady(true);
    });
    return () => {
      try {
        draw?.stop();
      } catch {
        // the map is going anyway
      }
      map.remove();
    };
    // The drawer is opened afresh for each drawing.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return <div ref={container} className="area-drawer" role="application" aria-label="Draw the area: click each corner, then the first corner again to close" data-testid="area-drawer" data-ready={ready || undefined} />;
}

/** Six decimals (about 0.1 m): what a notification needs, without floating-point noise. */
function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}
