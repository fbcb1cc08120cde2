/**
 * Agreements in the record, across five running nodes: the hotline's flash window proposed for
 * USA and RUS changes the deadline between them only once both have endorsed it and from its
 * effective time, leaves the other addressees on the default, and every node — one of them with
 * other hotline figures in its config.json — prints byte-identical findings. An endorsement of an
 * altered proposal is refused.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startNode } from '../../src/server/node.js';
import { FAST_TIMINGS, operatorApi as api, startNetwork, waitFor, type TestNetwork } from '../federation/support.js';
import { flash } from '../hotline/support.js';
import { parleyAsync as parley } from '../support/cli.js';

const CODES = ['USA', 'RUS', 'UKR', 'POL', 'OSCE'];
let net: TestNetwork | undefined;
afterAll(async () => net?.close());

const options = { runFile: true, settings: { hotline: { linkTests: false } } };

it('the acknowledgement deadline changes for the agreement\'s parties only once all have endorsed it, from its effective time, identically at every node', async () => {
  net = await startNetwork(CODES, options);
  // POL's operator has other hotline figures in config.json: they may only be proposed, never change a finding.
  const pol = net.nodes.POL;
  await pol.close();
  const config = join(pol.dir, 'config.json');
  writeFileSync(config, JSON.stringify({ ...JSON.parse(readFileSync(config, 'utf8')), hotline: { agreement: { ackSeconds: { flash: 30 } } } }, null, 2));
  net.nodes.POL = await startNode({ dir: pol.dir, port: pol.port, logger: false, federation: { timings: FAST_TIMINGS }, ...options });
  const nodes = Object.values(net.nodes);
  const { USA, RUS } = net.nodes;
  const others = CODES.filter((c) => c !== 'USA');
  const send = async (subject: string) => (await api(USA, '/api/v1/entries', { type: 'hotline.message', to: others, body: flash(subject) })).json as { id: string; time: string };

  // Far enough ahead that the steps before it (several CLI runs) are done before it, even on a busy machine.
  const effective = new Date(Date.now() + 20_000).toISOString();
  const proposed = await parley(['agreement', 'propose', '--dir', USA.dir, '--regime', 'hotline', '--terms', '{"ackSeconds":{"flash":120}}', '--parties', 'USA,RUS', '--effective', effective, '--json']);
  expect(proposed.code, proposed.stderr).toBe(0);
  const proposal = proposed.json().id as string;
  await waitFor('the proposal at RUS', async () => (await RUS.ledger.get(proposal))?.body !== undefined);

  // Proposed, not endorsed by RUS: the default window.
  const m1 = await send('Before the endorsement');

  // An endorsement restating other terms than the proposal's is refused, as is one naming an entry that is no proposal.
  const restated = { proposal, parties: ['USA', 'RUS'], terms: { hotline: { ackSeconds: { flash: 120 } } }, effective: new Date(effective).toISOString() };
  const altered = await api(RUS, '/api/v1/entries', { type: 'agreement.endorsement', to: ['*'], refs: [proposal], body: { ...restated, terms: { hotline: { ackSeconds: { flash: 3600 } } } } });
  expect(altered).toMatchObject({ status: 400, json: { error: { code: 'PARLEY_ERR_SCHEMA' } } });
  await waitFor('m1 at RUS', async () => (await RUS.ledger.get(m1.id))?.body !== undefined);
  const notAProposal = await api(RUS, '/api/v1/entries', { type: 'agreement.endorsement', to: ['*'], refs: [m1.id], body: { ...restated, proposal: m1.id } });
  expect(notAProposal).toMatchObject({ status: 400, json: { error: { code: 'PARLEY_ERR_SCHEMA' } } });

  const endorsed = await parley(['agreement', 'endorse', '--dir', RUS.dir, '--id', proposal, '--json']);
  expect(endorsed.code, endorsed.stderr).toBe(0);
  // Adopted, not yet effective: still the default window.
  const m2 = await send('Adopted, not yet effective');
  expect(Date.parse(m2.time)).toBeLessThan(Date.parse(effective));

  await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(effective) - Date.now() + 50)));
  const m3 = await send('In force');

  const everything = [proposal, endorsed.json().id, m1.id, m2.id, m3.id];
  await waitFor('every entry at every node', async () => (await Promise.all(nodes.flatMap((n) => everything.map((id) => n.ledger.get(id))))).every((e) => e?.body !== undefined), 15_000);

  // The deadlines: 2 minutes between USA and RUS for m3 only; 5 minutes for every other.
  const at = new Date(Date.parse(m3.time) + 10 * 60_000).toISOString();
  const obligations = (await parley(['obligations', '--dir', net.nodes.UKR.dir, '--at', at, '--json'])).json().obligations as { debtor: string; due: string; evidence: string[] }[];
  const window = (m: { id: string; time: string }, debtor: string) => (Date.parse(obligations.find((o) => o.evidence[0] === m.id && o.debtor === debtor)!.due) - Date.parse(m.time)) / 1000;
  expect([window(m1, 'RUS'), window(m2, 'RUS'), window(m3, 'RUS')]).toEqual([300, 300, 120]);
  expect(others.map((p) => window(m3, p))).toEqual([120, 300, 300, 300]);

  // Every node prints the same findings, byte for byte.
  const printed = await Promise.all(nodes.map((n) => parley(['findings', '--dir', n.dir, '--at', at, '--json'])));
  expect(printed.map((p) => p.code)).toEqual([0, 0, 0, 0, 0]);
  expect(new Set(printed.map((p) => p.stdout)).size).toBe(1);
  expect(printed[0].json().findings).toHaveLength(12);

  // The record says what is in force: the CLI and GET /api/v1/regimes.
  const list = (await parley(['agreement', 'list', '--dir', pol.dir, '--json'])).json();
  expect(list.agreements).toMatchObject([{ proposal, parties: ['USA', 'RUS'], endorsedBy: ['USA', 'RUS'], awaiting: [], current: true }]);
  const regimes = (await api(net.nodes.POL, '/api/v1/regimes')).json.regimes as { id: string; terms?: { agreements: { proposal: string; inForce: string }[] } }[];
  expect(regimes.find((r) => r.id === 'hotline')!.terms!.agreements).toMatchObject([{ proposal, inForce: new Date(effective).toISOString() }]);
  const cliRegimes = (await parley(['regimes', '--dir', USA.dir, '--json'])).json();
  expect(cliRegimes.regimes.find((r: { id: string }) => r.id === 'hotline').terms.agreements).toMatchObject([{ proposal, current: true }]);
}, 120_000);
