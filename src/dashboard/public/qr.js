import { encode } from '/dashboard/uqr.mjs';

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * A BOLT11 invoice as an SVG QR code. Upper case lets the QR use its compact
 * alphanumeric mode (bech32 is case-insensitive, wallets accept both).
 */
export function invoiceQr(paymentRequest) {
  const { data, size } = encode(paymentRequest.toUpperCase(), { ecc: 'M', border: 4 });
  let path = '';
  data.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) path += `M${x} ${y}h1v1h-1z`;
    }),
  );
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'QR code of the payment request');
  svg.setAttribute('shape-rendering', 'crispEdges');
  const background = document.createElementNS(SVG_NS, 'rect');
  background.setAttribute('width', String(size));
  background.setAttribute('height', String(size));
  background.setAttribute('fill', '#fff');
  const modules = document.createElementNS(SVG_NS, 'path');
  modules.setAttribute('d', path);
  modules.setAttribute('fill', '#000');
  svg.append(background, modules);
  return svg;
}
