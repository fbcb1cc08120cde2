/** The node's hotline runtime picture (terms in force, each message's deadline per addressee), read again whenever the record changes. */
import { useEffect, useState } from 'react';
import { usePicture } from './record';
import type { HotlineView } from '../../wire/types';

export function useHotlineView(): HotlineView | undefined {
  const p = usePicture();
  const [view, setView] = useState<HotlineView | undefined>(undefined);
  useEffect(() => {
    let live = true;
    // A node without the hotline answers 404: then deadlines come from the regimes' obligations alone.
    p.api.hotline().then(
      (v) => live && setView(v),
      () => live && setView(undefined),
    );
    return () => {
      live = false;
    };
  }, [p.api, p.loadedAt]);
  return view;
}
