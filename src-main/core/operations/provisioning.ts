import QRCode from 'qrcode';
import { strToU8, zipSync } from 'fflate';
import { ENDPOINT_PATHS } from '../config/endpoint-paths';
import { escapeHtml } from '../http/html';
import { qrPng } from './qr-png';
import type { CreatedClient } from './client-creation';

/**
 * What a technician loads into a device at the bench: where to get tokens and with what.
 * Made at creation, the only time a generated secret or private key exists in clear.
 */
export interface ProvisioningBundle {
  issuer: string;
  token_endpoint: string;
  client_id: string;
  token_endpoint_auth_method: 'client_secret_basic' | 'private_key_jwt' | 'none';
  client_secret?: string;
  private_jwk?: Record<string, unknown>;
  scope: string;
  /** Set when the protocol listener serves TLS from the site CA (not yet built). */
  ca_sha256?: string;
}

export function provisioningBundle(created: CreatedClient, issuer: string): ProvisioningBundle {
  const bundle: ProvisioningBundle = {
    issuer,
    token_endpoint: issuer + ENDPOINT_PATHS.token,
    client_id: created.clientId,
    token_endpoint_auth_method: created.secret ? 'client_secret_basic' : created.privateJwk ? 'private_key_jwt' : 'none',
    scope: created.scopes.join(' '),
  };
  if (created.secret) bundle.client_secret = created.secret;
  if (created.privateJwk) bundle.private_jwk = created.privateJwk;
  return bundle;
}

/** Medium error correction: a label may get scuffed at the bench. */
const QR_OPTIONS = { errorCorrectionLevel: 'M' as const, margin: 2 };

export function bundleQrPng(bundle: ProvisioningBundle): Promise<Buffer> {
  const { modules } = QRCode.create(JSON.stringify(bundle), { errorCorrectionLevel: QR_OPTIONS.errorCorrectionLevel });
  return Promise.resolve(qrPng(modules, { margin: QR_OPTIONS.margin, width: 360 }));
}

export function bundleQrSvg(bundle: ProvisioningBundle): Promise<string> {
  return QRCode.toString(JSON.stringify(bundle), { ...QR_OPTIONS, type: 'svg' });
}

/**
 * A printable sheet of labels, one per device: QR code, client id and name. Self-contained
 * (inline SVG and CSS, system fonts), so it prints from any browser on an air-gapped PC.
 */
export async function labelSheetHtml(items: ReadonlyArray<{ bundle: ProvisioningBundle; name?: string | undefined }>, qrSvgs?: readonly string[]): Promise<string> {
  const labels: string[] = [];
  for (const [i, { bundle, name }] of items.entries()) {
    const svg = qrSvgs?.[i] ?? (await bundleQrSvg(bundle));
    labels.push(`<div class="label"><div class="qr">${svg}</div><div class="id">${escapeHtml(bundle.client_id)}</div>${name ? `<div class="name">${escapeHtml(name)}</div>` : ''}</div>`);
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Device labels (${items.length})</title>
<style>
@page { size: A4; margin: 10mm; }
body { font-family: system-ui, sans-serif; margin: 0; }
.sheet { display: grid; grid-template-columns: repeat(3, 1fr); gap: 4mm; }
.label { border: 1px dashed #999; padding: 3mm; text-align: center; break-inside: avoid; }
.qr svg { width: 45mm; height: 45mm; }
.id { font-family: ui-monospace, monospace; font-weight: 700; font-size: 11pt; }
.name { font-size: 9pt; }
.warning { font-size: 9pt; margin: 0 0 4mm; }
@media print { .warning { display: none; } }
</style></head><body>
<p class="warning">Each code holds a device's credential. Print, stick on the device, then destroy spare copies of this file.</p>
<div class="sheet">
${labels.join('\n')}
</div></body></html>
`;
}

/** QR codes are made in slices so a large batch never holds up token requests for long. */
const YIELD_EVERY = 25;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One archive for a batch: a JSON bundle and PNG/SVG QR codes per device, and the label sheet.
 * PNGs are stored as they are (already deflated); each SVG is made once, for its file and its label.
 */
export async function batchArchive(items: ReadonlyArray<{ bundle: ProvisioningBundle; name?: string | undefined }>): Promise<Uint8Array> {
  const files: Record<string, Uint8Array | [Uint8Array, { level: 0 }]> = {};
  const svgs: string[] = [];
  for (const [i, { bundle }] of items.entries()) {
    const id = bundle.client_id.replace(/[^A-Za-z0-9._-]/g, '_');
    const svg = await bundleQrSvg(bundle);
    svgs.push(svg);
    files[`bundles/${id}.json`] = strToU8(JSON.stringify(bundle, null, 2) + '\n');
    files[`qr/${id}.png`] = [new Uint8Array(await bundleQrPng(bundle)), { level: 0 }];
    files[`qr/${id}.svg`] = strToU8(svg);
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
  }
  files['labels.html'] = strToU8(await labelSheetHtml(items, svgs));
  return zipSync(files, { level: 6 });
}
