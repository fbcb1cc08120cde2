/**
 * `?at=` of `GET /api/v1/findings` and `/api/v1/obligations` names one instant, whatever the time
 * zone of the node: a time without a zone is refused, not read as the server's local time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNetwork, type TestNetwork } from '../federation/support.js';

let net: TestNetwork;
const tz = process.env.TZ;
beforeAll(async () => {
  process.env.TZ = 'Asia/Tokyo'; // where a zone-less time would have meant 15:00 UTC the day before
  net = await startNetwork(['USA']);
});
afterAll(async () => {
  await net.close();
  if (tz === undefined) delete process.env.TZ;
  else process.env.TZ = tz;
});

async function get(path: string) {
  const node = net.nodes.USA;
  const res = await fetch(node.url + path, { headers: { authorization: `Bearer ${node.folder.tokens.analyst}` } });
  return { status: res.status, json: (await res.json()) as any };
}

describe('?at= on the regimes API', () => {
  it.each(['findings', 'obligations'])('%s refuses a time without a zone with 400 PARLEY_ERR_BAD_ARGUMENT', async (what) => {
    const r = await get(`/api/v1/${what}?at=2022-02-14T00:00:00`);
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: 'PARLEY_ERR_BAD_ARGUMENT', message: expect.stringContaining('has no time zone') });
  });

  it('refuses dates that do not exist and expanded years', async () => {
    for (const at of ['2022-02-30', '2022-02-30T00:00:00Z', encodeURIComponent('+020222-02-14T00:00:00Z'), 'yesterday']) {
      const r = await get(`/api/v1/findings?at=${at}`);
      expect([r.status, r.json.error?.code], at).toEqual([400, 'PARLEY_ERR_BAD_ARGUMENT']);
    }
  });

  it('takes Z, an offset, or a date (UTC midnight), all as the same instant', async () => {
    for (const at of ['2022-02-14T00:00:00Z', encodeURIComponent('2022-02-14T09:00:00+09:00'), '2022-02-14']) {
      const r = await get(`/api/v1/findings?at=${at}`);
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      expect(r.json.at).toBe('2022-02-14T00:00:00.000Z');
    }
  });
});
