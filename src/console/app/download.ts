/** Saving what the node produced (a proof bundle) as a file, byte for byte as the node wrote it. */
import type { Api } from './api';
import type { EntryView } from '../../wire/types';

export function saveText(filename: string, text: string, mime = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Fetches and saves the proof bundle of `id` as `proof-AUTHOR-SEQ.json`. */
export async function downloadProof(api: Api, id: string, entry: EntryView | undefined): Promise<void> {
  const text = await api.proof(id);
  const name = entry ? `proof-${entry.author}-${entry.seq}.json` : `proof-${id.slice(0, 12)}.json`;
  saveText(name, text.endsWith('\n') ? text : text + '\n');
}
