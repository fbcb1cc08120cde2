/**
 * The talks record across five running nodes: a readout from a party that did not attend and a
 * commitment without an owner are refused at their pointers; the divergence report is
 * byte-identical at every node holding the same readouts — the CLI and the API alike — and a node
 * holding only one readout is told so; a joint statement is adopted once every signatory has
 * endorsed its exact text, and an endorsement of an altered text is refused.
 */
import { afterAll, expect, it } from 'vitest';
import { operatorApi as api, startNetwork, waitFor, type TestNetwork } from '../federation/support.js';
import { parleyAsync as parley } from '../support/cli.js';

const CODES = ['USA', 'RUS', 'UKR', 'POL', 'OSCE'];
let net: TestNetwork | undefined;
afterAll(async () => net?.close());

it('divergence reports are identical wherever the same readouts are held; refusals name their field', async () => {
  net = await startNetwork(CODES, { runFile: true, settings: { hotline: { linkTests: false } } });
  const nodes = Object.values(net.nodes);
  const { USA, RUS, UKR } = net.nodes;
  const post = async (node: (typeof nodes)[number], type: string, body: object, to: string[] = ['*'], refs: string[] = []) => api(node, '/api/v1/entries', { type, to, refs, body });
  const holds = (node: (typeof nodes)[number], id: string) => async () => (await node.ledger.get(id))?.body !== undefined;

  const now = new Date().toISOString();
  const meeting = await post(USA, 'talks.meeting', {
    title: 'Video call',
    format: 'videoconference',
    at: now,
    channel: 'secure video link',
    delegations: [
      { party: 'USA', members: [{ name: 'President', role: 'head of delegation' }] },
      { party: 'RUS', members: [{ name: 'President', role: 'head of delegation' }] },
    ],
    agenda: [
      { key: 'ukraine', title: 'Forces near Ukraine', concerns: ['UKR', 'USA', 'RUS'] },
      { key: 'contacts', title: 'Further contacts', concerns: ['USA', 'RUS'] },
    ],
  });
  expect(meeting.status).toBe(201);
  const m = meeting.json.id as string;
  await waitFor('the meeting everywhere', async () => (await Promise.all(nodes.map((n) => holds(n, m)()))).every(Boolean));

  // UKR had no delegation there: its readout is refused where the meeting is held.
  const notThere = await post(UKR, 'talks.readout', { meeting: m, language: 'uk', items: [{ key: 'ukraine', discussed: 'We were not told.' }] }, ['*'], [m]);
  expect(notThere).toMatchObject({ status: 400, json: { error: { code: 'PARLEY_ERR_SCHEMA', detail: { path: '/meeting' } } } });
  const ownerless = await post(USA, 'talks.commitment', { meeting: m, what: 'Continue contacts', owners: [], due: now, fulfilledBy: { type: 'talks.meeting' } }, ['*'], [m]);
  expect(ownerless).toMatchObject({ status: 400, json: { error: { code: 'PARLEY_ERR_SCHEMA', detail: { path: '/owners' } } } });

  // USA's readout to everyone; RUS's only to USA and POL.
  const usa = await post(USA, 'talks.readout', { meeting: m, language: 'en', items: [{ key: 'ukraine', discussed: 'Deep concern at the build-up; sanctions with allies.', positions: [{ party: 'USA', text: 'Sanctions if escalation' }] }, { key: 'contacts', discussed: 'Teams follow up.', agreed: ['Governments continue contacts'] }] }, ['*'], [m]);
  const rus = await post(RUS, 'talks.readout', { meeting: m, language: 'en', items: [{ key: 'ukraine', discussed: 'Concern at NATO activity; sensitive issues to be discussed.', positions: [{ party: 'USA', text: 'Agrees to discuss sensitive issues' }] }, { key: 'contacts', discussed: 'Teams follow up.', agreed: ['Governments continue contacts', 'Guarantees to be discussed'] }] }, ['USA', 'POL'], [m]);
  expect([usa.status, rus.status]).toEqual([201, 201]);
  const both = [net.nodes.USA, net.nodes.RUS, net.nodes.POL];
  const one = [net.nodes.UKR, net.nodes.OSCE];
  await waitFor('the readouts', async () => (await Promise.all([...both.map((n) => holds(n, rus.json.id)()), ...nodes.map((n) => holds(n, usa.json.id)())])).every(Boolean), 15_000);

  const compared = await Promise.all(nodes.map((n) => parley(['talks', 'compare', '--dir', n.dir, '--meeting', m, '--json'])));
  expect(compared.map((c) => c.code)).toEqual([0, 0, 0, 0, 0]);
  const out = Object.fromEntries(nodes.map((n, i) => [n.party, compared[i].stdout]));
  expect(new Set(both.map((n) => out[n.party])).size).toBe(1);
  expect(new Set(one.map((n) => out[n.party])).size).toBe(1);
  const full = JSON.parse(out.USA);
  expect(full.readouts).toEqual([{ party: 'RUS', id: rus.json.id }, { party: 'USA', id: usa.json.id }]);
  expect(full.items.find((x: { item: string }) => x.item === 'contacts').differences).toEqual([{ kind: 'agreement-claimed', party: 'RUS', about: 'USA', text: 'Guarantees to be discussed' }]);
  const partial = JSON.parse(out.UKR);
  expect(partial.note).toContain('only one readout');
  expect(partial.items.flatMap((x: { differences: unknown[] }) => x.differences)).toEqual([]);
  // The API answers the same bytes' worth.
  expect((await api(net.nodes.POL, `/api/v1/talks/${m}/compare`)).json).toEqual(full);

  // A joint statement: an agreement proposal setting no terms, adopted once RUS endorses its exact text.
  const text = 'The two presidents instructed their governments to continue contacts.';
  const st = await post(USA, 'agreement.proposal', { title: 'Joint statement', text, parties: ['USA', 'RUS'], terms: {}, effective: now }, ['*'], [m]);
  expect(st.status).toBe(201);
  await waitFor('the statement at RUS', holds(RUS, st.json.id));
  const restate = { proposal: st.json.id, parties: ['USA', 'RUS'], terms: {}, effective: new Date(now).toISOString() };
  const altered = await post(RUS, 'agreement.endorsement', { ...restate, text: 'The presidents agreed on guarantees.' }, ['*'], [st.json.id]);
  expect(altered).toMatchObject({ status: 400, json: { error: { code: 'PARLEY_ERR_SCHEMA', detail: { path: '/text' } } } });
  const endorsed = await post(RUS, 'agreement.endorsement', { ...restate, text }, ['*'], [st.json.id]);
  expect(endorsed.status).toBe(201);
  await waitFor('the endorsement everywhere', async () => (await Promise.all(nodes.map((n) => holds(n, endorsed.json.id)()))).every(Boolean), 15_000);
  const statements = await Promise.all(nodes.map((n) => parley(['talks', 'statements', '--dir', n.dir, '--json'])));
  expect(new Set(statements.map((s) => s.stdout)).size).toBe(1);
  expect(statements[0].json()).toMatchObject([{ id: st.json.id, meeting: m, signatories: ['RUS', 'USA'], endorsed: ['RUS', 'USA'], missing: [] }]);
  const listed = (await api(net.nodes.OSCE, '/api/v1/talks')).json;
  expect(listed).toMatchObject([{ id: m, parties: ['RUS', 'USA'], readouts: [usa.json.id], statements: [st.json.id] }]);
  expect((await parley(['talks', 'list', '--dir', net.nodes.OSCE.dir, '--json'])).json()).toEqual(listed);
}, 60_000);
