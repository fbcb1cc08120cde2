/**
 * "Export CSV": the rows a table shows (after its filters), as RFC 4180 CSV in UTF-8, saved as a
 * file; and "Print", for the printable report (app/console.css has the print stylesheet).
 */
import { saveText } from '../app/download';

/** One CSV field: quoted when it holds a comma, a quote or a line break; a leading =, +, - or @ is escaped so a spreadsheet does not run it. */
function field(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

export function ExportTools(props: { filename: string; header: readonly string[]; rows: readonly (readonly string[])[] }) {
  return (
    <span className="export-tools no-print">
      <button type="button" className="small" onClick={() => saveText(props.filename, toCsv(props.header, props.rows), 'text/csv;charset=utf-8')}>
        Export CSV
      </button>{' '}
      <button type="button" className="small" onClick={() => window.print()}>
        Print
      </button>
    </span>
  );
}
