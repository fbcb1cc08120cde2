import { describe, expect, it } from 'vitest';
import { RecordBuilder } from '../../test/support/record.js';
import { evaluateAll, openEvaluation } from './index.js';

describe('an entry first held as a stub, then with its content', () => {
  it('is evaluated with its content once it arrives, as if it had come whole', () => {
    const r = new RecordBuilder();
    const ask = r.add('UKR', '2022-02-11T12:00:00.000Z', 'vd.explanation.request', { respondingState: 'RUS', activity: 'Forces near the border.', reasons: 'Unusual activity.' }, { to: ['RUS'] });
    const at = Date.parse('2022-02-14T00:00:00.000Z');
    const evaluation = openEvaluation();
    expect(evaluation.add(RecordBuilder.stub(ask))).toBe(true);
    expect(evaluation.result(at).obligations).toEqual([]);
    expect(evaluation.add(ask)).toBe(true);
    expect(evaluation.add(ask)).toBe(false);
    expect(evaluation.add(RecordBuilder.stub(ask))).toBe(false);
    const whole = evaluateAll(r.entries, at);
    expect(whole.obligations.some((o) => o.citation === 'VD11 §16.1.3' && o.status === 'missed')).toBe(true);
    expect(JSON.stringify(evaluation.result(at))).toBe(JSON.stringify(whole));
  });
});
