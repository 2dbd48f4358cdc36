// Refreshes the requests table from its JSON twin while any request is still running, so an
// operator watches a deletion reach SUCCESS without reloading. Without JavaScript the page is the same, static.
const table = document.getElementById('requests');
const note = document.getElementById('refresh-note');
const EVERY_MS = 1500;

function cell(label, text, cls) {
  const td = document.createElement('td');
  td.dataset.label = label;
  if (cls) td.className = cls;
  td.textContent = text;
  return td;
}

function row(r) {
  const tr = document.createElement('tr');
  tr.dataset.status = r.status;
  const first = document.createElement('td');
  first.dataset.label = 'Request';
  const a = document.createElement('a');
  a.href = r.href;
  const code = document.createElement('code');
  code.textContent = r.tracking_id;
  a.append(code);
  first.append(a);
  const status = document.createElement('td');
  status.dataset.label = 'Status';
  const span = document.createElement('span');
  span.className = 'status ' + r.status;
  span.textContent = r.status;
  status.append(span);
  tr.append(first, cell('Kind', r.kind), status, cell('Ids', String(r.ids), 'num'), cell('Asked by', r.requested_by),
    cell('Requested', r.requested_at), cell('Took', r.duration), cell('Counts', r.counts));
  return tr;
}

async function refresh() {
  try {
    const answer = await fetch(table.dataset.source, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' });
    if (answer.status === 401 || answer.status === 403) {
      note.textContent = 'Signed out: reload the page to sign in again.';
      return;
    }
    if (answer.ok) {
      const page = await answer.json();
      const body = table.tBodies[0];
      if (page.rows.length) body.replaceChildren(...page.rows.map(row));
      table.dataset.active = String(page.active);
      note.textContent = page.active ? 'Requests are running; this table updates by itself.' : 'All requests on this page have finished.';
      if (!page.active) return;
    }
  } catch (e) {
    note.textContent = 'Could not refresh; retrying.';
  }
  setTimeout(refresh, EVERY_MS);
}

if (table && table.dataset.active === 'true') {
  note.textContent = 'Requests are running; this table updates by itself.';
  setTimeout(refresh, EVERY_MS);
}
