/**
 * The hotline regime's live service: what `RegimeModule.service` of src/regimes/hotline makes for
 * a running node — the runtime (alarms, link health, link tests), its operator route
 * GET /api/v1/hotline, and its additions to GET /api/v1/status.
 */
import type { LiveService, ServiceDeps } from '../../module.js';
import { hotlineSettings, type HotlineConfig } from './config.js';
import { hotlineRoutes } from './routes.js';
import { alarmSchema, peerHealthSchema } from './api-schemas.js';
import { HotlineRuntime } from './runtime.js';

export interface HotlineService extends LiveService {
  readonly runtime: HotlineRuntime;
}

/** Reads config.json's `hotline` object (and the embedder's overrides); refuses bad settings before the node listens. */
export function hotlineService(deps: ServiceDeps): HotlineService {
  const settings = hotlineSettings(deps.config, (deps.overrides ?? {}) as HotlineConfig);
  const runtime = new HotlineRuntime({ ledger: deps.ledger, federation: deps.federation, monitor: deps.monitor, settings, log: deps.log, publish: deps.publish });
  return {
    runtime,
    events: ['hotline', 'alarm'],
    status: { alarm: alarmSchema, properties: { linkHealth: { type: 'array', items: peerHealthSchema, description: 'The hotline\'s link health per peer: up / degraded / down, last round trip.' } } },
    start: () => runtime.start(),
    stop: () => runtime.stop(),
    decorate: (status) => runtime.decorate(status),
    routes: (api, doc) => hotlineRoutes(api, runtime, doc),
  };
}
