/**
 * The hotline settings of a node: the `hotline` object of its config.json. Every field is
 * optional; the defaults are the ones below.
 *
 * @example
 *   // config.json
 *   {
 *     "party": "USA", "name": "…", "url": "…", "createdAt": "…",
 *     "hotline": {
 *       "webhook": { "url": "https://pager.example/parley", "secret": "shared with the pager" },
 *       "receiptAlarmSeconds": 10,
 *       "degradedRttMs": 2000,
 *       "agreement": { "ackSeconds": { "flash": 180 }, "linkTestIntervalSeconds": 1800 }   // proposed only: see HotlineConfig.agreement
 *     }
 *   }
 */
import { isPlainObject } from '../../../protocol/bytes.js';
import { ParleyError } from '../../../protocol/errors.js';
import { HOTLINE_TERMS, type HotlineTerms } from '../rules.js';

export interface HotlineConfig {
  /** Every alarm, raised and cleared, is POSTed here as JSON (a pager). A URL, or `{url, secret}` to sign bodies (HMAC-SHA256). Default: none. */
  webhook?: string | { url: string; secret?: string };
  /** No machine receipt from an addressee within this many seconds of sending raises that peer's link alarm. Default 10. */
  receiptAlarmSeconds?: number;
  /** A round trip (send → receipt) slower than this makes the link `degraded`. Default 2000 ms. */
  degradedRttMs?: number;
  /** Whether this node sends link tests on the agreement's schedule. Default true. */
  linkTests?: boolean;
  /**
   * Terms this node's operator proposes to its peers (`parley agreement propose --regime hotline`
   * drafts its proposal from them). They change no finding: only an agreement adopted in the
   * record does (src/regimes/agreement).
   */
  agreement?: HotlineTerms;
  /** Webhook delivery: attempts per alarm (default 5), each waiting at most `webhookTimeoutMs` (default 5000). */
  webhookAttempts?: number;
  webhookTimeoutMs?: number;
}

export interface HotlineSettings {
  readonly webhook: { readonly url: string; readonly secret?: string } | undefined;
  readonly receiptAlarmMs: number;
  readonly degradedRttMs: number;
  readonly linkTests: boolean;
  /** The terms this node's operator proposes, as configured (a draft: not the terms in force). */
  readonly agreement: HotlineTerms | undefined;
  readonly webhookAttempts: number;
  readonly webhookTimeoutMs: number;
  /** First retry after this long, doubling (500 ms, 1 s, 2 s, 4 s). */
  readonly webhookRetryMs: number;
}

export const HOTLINE_DEFAULTS = Object.freeze({
  receiptAlarmSeconds: 10,
  degradedRttMs: 2000,
  webhookAttempts: 5,
  webhookTimeoutMs: 5000,
  webhookRetryMs: 500,
});

const bad = (field: string, why: string) =>
  new ParleyError('PARLEY_ERR_NODE_DIR', `config.json hotline.${field} ${why}; fix config.json and start the node again (nothing was changed)`);

function positive(v: unknown, field: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw bad(field, `is ${JSON.stringify(v)}, not a positive number`);
  return v;
}

function webhookOf(v: unknown): HotlineSettings['webhook'] {
  if (v === undefined || v === null || v === '') return undefined;
  const spec = typeof v === 'string' ? { url: v } : v;
  if (!isPlainObject(spec) || typeof spec.url !== 'string') throw bad('webhook', 'must be a URL or {"url", "secret"}');
  let url: URL;
  try {
    url = new URL(spec.url);
  } catch {
    throw bad('webhook', `${JSON.stringify(spec.url)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw bad('webhook', 'must be an http: or https: URL');
  if (spec.secret !== undefined && (typeof spec.secret !== 'string' || spec.secret.length === 0)) throw bad('webhook.secret', 'must be a non-empty string');
  return Object.freeze({ url: url.toString(), ...(typeof spec.secret === 'string' ? { secret: spec.secret } : {}) });
}

/** The settings from config.json's `hotline` object, with `overrides` (tests, embedding) on top. */
export function hotlineSettings(config: unknown, overrides: HotlineConfig = {}): HotlineSettings {
  if (config !== undefined && !isPlainObject(config)) throw bad('', 'must be an object');
  const c = { ...(config as HotlineConfig | undefined), ...overrides };
  const problem = c.agreement === undefined ? undefined : HOTLINE_TERMS.check(c.agreement);
  if (problem) throw bad(`agreement${problem.field ? `.${problem.field}` : ''}`, problem.message);
  const attempts = positive(c.webhookAttempts, 'webhookAttempts') ?? HOTLINE_DEFAULTS.webhookAttempts;
  if (!Number.isInteger(attempts) || attempts > 20) throw bad('webhookAttempts', 'must be a whole number from 1 to 20');
  if (c.linkTests !== undefined && typeof c.linkTests !== 'boolean') throw bad('linkTests', 'must be true or false');
  return Object.freeze({
    webhook: webhookOf(c.webhook),
    receiptAlarmMs: (positive(c.receiptAlarmSeconds, 'receiptAlarmSeconds') ?? HOTLINE_DEFAULTS.receiptAlarmSeconds) * 1000,
    degradedRttMs: positive(c.degradedRttMs, 'degradedRttMs') ?? HOTLINE_DEFAULTS.degradedRttMs,
    linkTests: c.linkTests ?? true,
    agreement: c.agreement,
    webhookAttempts: attempts,
    webhookTimeoutMs: positive(c.webhookTimeoutMs, 'webhookTimeoutMs') ?? HOTLINE_DEFAULTS.webhookTimeoutMs,
    webhookRetryMs: HOTLINE_DEFAULTS.webhookRetryMs,
  });
}
