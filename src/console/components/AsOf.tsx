/** "As of": an analyst reads the record as it stood at an instant (UTC); empty is live. */
import { useEffect, useState } from 'react';
import { usePicture } from '../app/record';
import { readUtc, utcText } from '../app/utc';
import { UtcInput } from './UtcInput';

export function AsOf() {
  const picture = usePicture();
  const [text, setText] = useState(() => (picture.asOf === undefined ? '' : utcText(picture.asOf)));
  // "Back to live", or an as-of from the address: the field follows the picture.
  useEffect(() => {
    setText((t) => {
      const r = readUtc(t);
      if (picture.asOf === undefined) return r.ok ? '' : t;
      return r.ok && r.ms === picture.asOf ? t : utcText(picture.asOf);
    });
  }, [picture.asOf]);
  return (
    <label className="asof">
      As of (UTC)
      <UtcInput
        text={text}
        size={20}
        onText={(t, iso) => {
          setText(t);
          if (t.trim() === '') picture.setAsOf(undefined);
          else if (iso) picture.setAsOf(Date.parse(iso));
        }}
      />
    </label>
  );
}
