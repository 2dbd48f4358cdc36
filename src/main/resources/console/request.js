// While the request runs, fetches this page again and swaps in its content, so the timeline,
// counts and buttons follow the task without a reload. Focus stays where the operator left it.
const EVERY_MS = 1500;

async function refresh() {
  const current = document.getElementById('request');
  if (!current || current.dataset.active !== 'true') return;
  try {
    const answer = await fetch(location.href, { credentials: 'same-origin' });
    if (answer.ok) {
      const next = new DOMParser().parseFromString(await answer.text(), 'text/html').getElementById('request');
      if (next && next.innerHTML !== current.innerHTML && !current.contains(document.activeElement)) {
        current.replaceWith(next);
      }
    }
  } catch (e) {
    // a failed poll is retried on the next tick
  }
  setTimeout(refresh, EVERY_MS);
}

setTimeout(refresh, EVERY_MS);
