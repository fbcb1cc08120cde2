/**
 * Witnessed time through real ledgers: USA's clock 60 days behind signs a notification the others
 * receive today. Their receipts (addressed to everyone the notification is addressed to) are the
 * witnesses: every party — author and addressees — finds the same "back-dated or held back" and
 * the same late §38 notification; the notification sent with a true clock gets only the §38 finding.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DAY } from '../../src/regimes/engine.js';
import { evaluateAll } from '../../src/regimes/index.js';
import type { Ledger } from '../../src/ledger/ledger.js';
import type { RecordEntry, RegimeResult } from '../../src/regimes/types.js';
import { VD11 } from '../../src/regimes/vienna2011/rules.js';
import { WITNESS } from '../../src/regimes/witness/rules.js';
import { makeParties, tempDir } from '../support/nodes.js';
import { notificationBody } from '../support/vienna-bodies.js';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

async function record(l: Ledger): Promise<RecordEntry[]> {
  const out: RecordEntry[] = [];
  for await (const e of l.all()) out.push({ id: e.id, author: e.author, seq: e.seq, time: e.time, type: e.type, to: e.to, refs: e.refs, body: e.body });
  return out;
}

const stubFor = (l: Ledger) => async (author: string, to: string) =>
  (await l.range(author, 0, 1000)).map((e) => (e.to && (e.to.includes(to) || e.to[0] === '*' || e.author === to) ? e.envelope : { header: e.envelope.header, sig: e.envelope.sig }));

/** USA signs a notification of an activity starting in 20 days with its clock `behindMs` behind; RUS and UKR receive it now; everyone exchanges receipts. */
async function sendNotification(behindMs: number): Promise<{ results: Record<string, RegimeResult>; receiptsTo: string[][] }> {
  const dir = tempDir();
  let behind = behindMs;
  const parties = await makeParties(dir.path, ['USA', 'RUS', 'UKR'], () => Date.now() - behind);
  cleanup.push(async () => {
    for (const p of Object.values(parties)) await p.ledger.close();
    dir.remove();
  });
  const { USA, RUS, UKR } = parties;
  const start = Date.now() + 20 * DAY;
  await USA.ledger.append({ type: 'vd.activity.notification', to: ['*'], body: { ...notificationBody({ troops: 9000, start: new Date(start).toISOString(), end: new Date(start + 5 * DAY).toISOString() }) } });
  behind = 0;
  const receiptsTo: string[][] = [];
  for (const p of [RUS, UKR]) {
    const r = await p.ledger.accept(await stubFor(USA.ledger)('USA', p.ledger.party), { source: 'USA', onGap: 'hold', receipts: true });
    receiptsTo.push(...r.receipts.map((x) => x.to!));
  }
  // The receipts go everywhere (pushed by their authors).
  for (const [from, to] of [[RUS, USA], [RUS, UKR], [UKR, USA], [UKR, RUS]] as const) {
    await to.ledger.accept(await stubFor(from.ledger)(from.ledger.party, to.ledger.party), { source: from.ledger.party, onGap: 'hold', receipts: true });
  }
  const at = start + DAY;
  const results: Record<string, RegimeResult> = {};
  for (const [code, p] of Object.entries(parties)) results[code] = evaluateAll(await record(p.ledger), at);
  return { results, receiptsTo };
}

describe('witnessed time between real ledgers', () => {
  it('a notification signed 60 days back is judged when the others first held it, identically at every party', async () => {
    const { results, receiptsTo } = await sendNotification(60 * DAY);
    expect(receiptsTo).toEqual([['*'], ['*']]);
    const usa = results.USA;
    expect(usa.findings.filter((f) => f.rule === VD11.priorNotification.id)).toHaveLength(1);
    expect(usa.findings.filter((f) => f.rule === WITNESS.backDated.id)).toMatchObject([{ severity: 'warning', parties: [ 'USA', expect.stringMatching(/^(RUS|UKR)$/)] }]);
    expect(JSON.stringify(results.RUS)).toBe(JSON.stringify(usa));
    expect(JSON.stringify(results.UKR)).toBe(JSON.stringify(usa));
  }, 30_000);

  it('the same notification signed with a true clock gets the §38 finding alone', async () => {
    const { results } = await sendNotification(0);
    expect(results.USA.findings.map((f) => f.rule)).toEqual([VD11.priorNotification.id]);
    expect(JSON.stringify(results.RUS)).toBe(JSON.stringify(results.USA));
  }, 30_000);
});
