import { api } from './api.js';
import { $, cell, el, guarded, onSubmit, renderPager, when } from './dom.js';

const PER_PAGE = 20;
let endpoint = null;

export function setupWebhooks() {
  onSubmit($('#webhook-form'), async ({ url, description }) => {
    await api('POST', '/v1/webhooks', description ? { url, description } : { url });
    $('#webhook-form').reset();
    await loadWebhooks();
  });
  $('#deliveries-refresh').addEventListener('click', () => loadDeliveries(1));
}

export function loadWebhooks() {
  return guarded(null, $('#webhooks-error'), async () => {
    const { data } = await api('GET', '/v1/webhooks?per-page=100');
    $('#webhook-table tbody').replaceChildren(...data.map(endpointRow));
  });
}

export function closeWebhooks() {
  endpoint = null;
  $('#deliveries').hidden = true;
}

function endpointRow(hook) {
  const show = el('button', { type: 'button', onclick: () => showDeliveries(hook) }, 'Deliveries');
  show.setAttribute('aria-label', `Deliveries to ${hook.url}`);
  return el('tr', { 'data-webhook-id': hook.id }, cell(hook.url, 'id'), cell(hook.description), cell(hook.active ? 'yes' : 'no (410 Gone)'), el('td', {}, show));
}

async function showDeliveries(hook) {
  endpoint = hook;
  $('#deliveries-title').textContent = `Deliveries to ${hook.url}`;
  $('#deliveries').hidden = false;
  $('#deliveries-title').focus();
  await loadDeliveries(1);
}

function loadDeliveries(page) {
  return guarded(null, $('#webhooks-error'), async () => {
    const { data, page: pages } = await api('GET', `/v1/webhooks/${endpoint.id}/deliveries?page=${page}&per-page=${PER_PAGE}`);
    $('#delivery-table tbody').replaceChildren(...data.map((delivery) => deliveryRow(delivery, pages.current)));
    renderPager($('#delivery-pager'), pages, 'deliveries', loadDeliveries);
  });
}

function deliveryRow(delivery, page) {
  const redeliver = el('button', { type: 'button' }, 'Redeliver');
  redeliver.setAttribute('aria-label', `Redeliver ${delivery.event} of ${when(delivery.created_at)}`);
  redeliver.addEventListener('click', () =>
    guarded(redeliver, $('#webhooks-error'), async () => {
      await api('POST', `/v1/webhooks/${endpoint.id}/deliveries/${delivery.id}/redeliver`);
      await loadDeliveries(page);
    }),
  );
  const answer = delivery.last_error ?? (delivery.last_status_code ? `HTTP ${delivery.last_status_code}` : null);
  return el(
    'tr',
    { 'data-delivery-id': delivery.id },
    cell(when(delivery.created_at)),
    cell(delivery.event),
    cell(delivery.status),
    cell(delivery.attempts, 'num'),
    cell(answer),
    el('td', {}, redeliver),
  );
}
