/**
 * The frontier zones across five running nodes: an agreement adopted in the record, a declaration
 * over its ceiling, an observer's count over the declaration and a report outside every zone;
 * GET /api/v1/zones prints byte-identical findings at all five, equal to `parley zones status`.
 */
import { afterAll, expect, it } from 'vitest';
import { operatorApi as api, startNetwork, waitFor, type TestNetwork } from '../federation/support.js';
import { parleyAsync as parley } from '../support/cli.js';

const CODES = ['USA', 'RUS', 'UKR', 'BLR', 'OSCE'];
const PARTIES = ['OSCE', 'RUS', 'UKR'];
const box = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
let net: TestNetwork | undefined;
afterAll(async () => net?.close());

it('five nodes print byte-identical zone findings, over the API and the CLI', async () => {
  net = await startNetwork(CODES, { runFile: true, settings: { hotline: { linkTests: false } } });
  const nodes = Object.values(net.nodes);
  const { RUS, UKR, OSCE } = net.nodes;
  const post = async (node: (typeof nodes)[number], type: string, body: object, refs: string[] = []) => {
    const r = await api(node, '/api/v1/entries', { type, to: ['*'], refs, body });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    return r.json.id as string;
  };
  const everywhere = async (what: string, id: string) => waitFor(what, async () => (await Promise.all(nodes.map(async (n) => (await n.ledger.get(id))?.body !== undefined))).every(Boolean), 20_000);

  const effective = new Date(Date.now() - 60_000).toISOString();
  const terms = {
    zones: {
      zones: {
        ru: { side: 'RUS', area: box(36, 50, 38, 51), ceilings: { RUS: { troops: 10_000 } }, activityLimit: { troops: 4000 } },
        ua: { side: 'UKR', area: box(36, 49, 38, 49.999), ceilings: { UKR: { troops: 10_000 } } },
      },
      accessReplyHours: 24,
    },
  };
  const proposal = await post(OSCE, 'agreement.proposal', { title: 'Frontier zones', parties: PARTIES, terms, effective });
  await everywhere('the proposal', proposal);
  const endorsed = await Promise.all([RUS, UKR].map((n) => post(n, 'agreement.endorsement', { proposal, parties: PARTIES, terms, effective }, [proposal])));
  // In force from the last endorsement: holdings as of now are judged by it.
  await new Promise((r) => setTimeout(r, 5));
  const now = new Date().toISOString();
  const declared = await post(RUS, 'zones.declaration', { asOf: now, holdings: [{ zone: 'ru', counts: { troops: 10_500 } }] });
  const counted = await post(OSCE, 'zones.report', { at: now, position: [37, 50.5], place: 'near Valuyki', observedParty: 'RUS', counts: { troops: 12_000 } });
  const outside = await post(OSCE, 'zones.report', { at: now, position: [30, 45], observedParty: 'RUS', counts: { troops: 500 } });
  for (const id of [...endorsed, declared, counted, outside]) await everywhere('every entry', id);

  const at = new Date(Date.now() + 1000).toISOString();
  const texts = await Promise.all(
    nodes.map(async (n) => (await fetch(`${n.url}/api/v1/zones?at=${at}`, { headers: { authorization: `Bearer ${n.folder.tokens.analyst}` } })).text()),
  );
  for (const t of texts) expect(t).toBe(texts[0]);
  const status = JSON.parse(texts[0]);
  expect(status.zones.map((z: { zone: string; side: string }) => [z.zone, z.side])).toEqual([['ru', 'RUS'], ['ua', 'UKR']]);
  const ru = status.zones[0];
  expect(ru.ceilings).toEqual({ RUS: { troops: 10_000 } });
  expect(ru.declared.RUS).toMatchObject({ counts: { troops: 10_500 }, entry: declared });
  expect(ru.findings.map((f: { rule: string; severity: string }) => `${f.rule} ${f.severity}`).sort()).toEqual(['zones.ceiling violation', 'zones.counted warning']);
  expect(ru.findings.find((f: { rule: string }) => f.rule === 'zones.counted').explanation).toMatch(/^on OSCE's count, RUS had 12,000 troops \(against 10,500\)/);
  expect(status.outside.map((o: { entry: string }) => o.entry)).toEqual([outside]);

  // The CLI over each folder says the same.
  const cli = await Promise.all(nodes.map((n) => parley(['zones', 'status', '--dir', n.dir, '--at', at, '--json'])));
  for (const c of cli) expect(JSON.parse(c.stdout)).toEqual(status);

  // The map: areas, the report outside every zone with no zone.
  const map = await api(UKR, `/api/v1/zones/map?at=${at}`);
  expect(Object.keys(map.json.areas)).toEqual(['ru', 'ua']);
  expect(map.json.reports.map((r: { entry: string; zones: string[] }) => [r.entry, r.zones])).toEqual([
    [counted, ['ru']],
    [outside, []],
  ]);
  const bad = await api(UKR, '/api/v1/zones?at=yesterday');
  expect(bad).toMatchObject({ status: 400, json: { error: { code: 'PARLEY_ERR_BAD_ARGUMENT' } } });
});
