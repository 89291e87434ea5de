/**
 * The demo workflows: names, deployments and the activities each one runs, with plausible inputs and
 * results. Everything is drawn from the seeded PRNG so the data is the same for the same seed.
 */
import type { Random } from './random';

interface ActivityDef {
  name: string;
  input: (rng: Random, key: string) => unknown;
  result: (rng: Random, key: string) => unknown;
}

export interface WorkflowDef {
  name: string;
  deployments: string[];
  /** A business key shown in inputs (order id, invoice batch, ...). */
  key: (rng: Random) => string;
  input: (key: string) => unknown;
  activities: ActivityDef[];
  result: (key: string) => unknown;
  signals: string[];
}

const act = (
  name: string,
  input: ActivityDef['input'],
  result: ActivityDef['result'],
): ActivityDef => ({ name, input, result });

export const WORKFLOWS: WorkflowDef[] = [
  {
    name: 'order-fulfillment',
    deployments: ['prod-eu-west', 'prod-us-east'],
    key: (rng) => `ord_${rng.hex(8).toUpperCase()}`,
    input: (key) => ({ order_id: key, channel: 'web' }),
    activities: [
      act('validate_order', (_r, k) => ({ order_id: k }), () => ({ valid: true })),
      act('reserve_inventory', (r, k) => ({ order_id: k, skus: r.int(1, 5) }), (r) => ({ reservation_id: `res_${r.hex(10)}` })),
      act('charge_payment', (r, k) => ({ order_id: k, amount_cents: r.int(900, 48_000), currency: 'EUR' }), (r) => ({ payment_id: `pay_${r.hex(12)}`, status: 'captured' })),
      act('create_shipment', (_r, k) => ({ order_id: k, carrier: 'colissimo' }), (r) => ({ shipment_id: `shp_${r.hex(10)}`, tracking_number: `6A${r.int(10_000_000, 99_999_999)}` })),
      act('send_confirmation_email', (_r, k) => ({ order_id: k, template: 'order_shipped' }), (r) => ({ message_id: `<${r.hex(16)}@mail.example.com>` })),
    ],
    result: (key) => ({ order_id: key, status: 'fulfilled' }),
    signals: ['address_updated', 'priority_changed'],
  },
  {
    name: 'invoice-sync',
    deployments: ['prod-eu-west'],
    key: (rng) => `batch-${rng.int(2000, 9999)}`,
    input: (key) => ({ batch_id: key, source: 'stripe', target: 'netsuite' }),
    activities: [
      act('fetch_invoices', (_r, k) => ({ batch_id: k }), (r) => ({ count: r.int(12, 400) })),
      act('convert_currency', (_r, k) => ({ batch_id: k, to: 'EUR' }), (r) => ({ converted: r.int(12, 400), rate_date: '2026-01-15' })),
      act('compute_tax', (_r, k) => ({ batch_id: k, regime: 'EU-OSS' }), (r) => ({ tax_total_cents: r.int(10_000, 900_000) })),
      act('push_to_ledger', (_r, k) => ({ batch_id: k }), (r) => ({ journal_entry: `JE-${r.int(100_000, 999_999)}` })),
    ],
    result: (key) => ({ batch_id: key, synced: true }),
    signals: ['pause_requested'],
  },
  {
    name: 'document-ingestion',
    deployments: ['prod-eu-west', 'staging'],
    key: (rng) => `doc_${rng.hex(12)}`,
    input: (key) => ({ document_id: key, mime_type: 'application/pdf' }),
    activities: [
      act('download_document', (_r, k) => ({ document_id: k }), (r) => ({ bytes: r.int(20_000, 9_000_000) })),
      act('extract_text', (_r, k) => ({ document_id: k, ocr: true }), (r) => ({ pages: r.int(1, 120) })),
      act('chunk_document', (_r, k) => ({ document_id: k, chunk_size: 1024 }), (r) => ({ chunks: r.int(4, 600) })),
      act('embed_chunks', (_r, k) => ({ document_id: k, model: 'mistral-embed' }), (r) => ({ vectors: r.int(4, 600) })),
      act('index_chunks', (_r, k) => ({ document_id: k, index: 'kb-main' }), () => ({ indexed: true })),
    ],
    result: (key) => ({ document_id: key, status: 'indexed' }),
    signals: ['priority_changed'],
  },
  {
    name: 'customer-onboarding',
    deployments: ['prod-eu-west', 'prod-us-east'],
    key: (rng) => `cus_${rng.hex(10)}`,
    input: (key) => ({ customer_id: key, plan: 'team' }),
    activities: [
      act('create_account', (_r, k) => ({ customer_id: k }), (r) => ({ account_id: `acc_${r.hex(10)}` })),
      act('verify_identity', (_r, k) => ({ customer_id: k, provider: 'onfido' }), () => ({ verified: true })),
      act('provision_workspace', (_r, k) => ({ customer_id: k, region: 'eu' }), (r) => ({ workspace_id: r.uuid() })),
      act('send_welcome_email', (_r, k) => ({ customer_id: k }), (r) => ({ message_id: `<${r.hex(16)}@mail.example.com>` })),
    ],
    result: (key) => ({ customer_id: key, onboarded: true }),
    signals: ['kyc_document_uploaded'],
  },
  {
    name: 'nightly-report',
    deployments: ['prod-eu-west'],
    key: (rng) => `2026-01-${String(rng.int(10, 28))}`,
    input: (key) => ({ report_date: key, recipients: ['ops@example.com'] }),
    activities: [
      act('query_metrics', (_r, k) => ({ report_date: k }), (r) => ({ rows: r.int(1000, 90_000) })),
      act('render_report', (_r, k) => ({ report_date: k, format: 'pdf' }), (r) => ({ pages: r.int(3, 30) })),
      act('upload_report', (_r, k) => ({ report_date: k, bucket: 'reports' }), (_r, k) => ({ url: `s3://reports/${k}.pdf` })),
      act('notify_slack', () => ({ channel: '#ops-reports' }), () => ({ ok: true })),
    ],
    result: (key) => ({ report_date: key, delivered: true }),
    signals: [],
  },
  {
    name: 'refund-processor',
    deployments: ['prod-eu-west', 'prod-us-east'],
    key: (rng) => `rf_${rng.hex(8)}`,
    input: (key) => ({ refund_id: key, reason: 'damaged_item' }),
    activities: [
      act('load_refund_request', (_r, k) => ({ refund_id: k }), (r) => ({ amount_cents: r.int(500, 25_000) })),
      act('check_fraud_score', (_r, k) => ({ refund_id: k }), (r) => ({ score: r.int(1, 40) / 100 })),
      act('issue_refund', (_r, k) => ({ refund_id: k }), (r) => ({ refund_tx: `re_${r.hex(14)}` })),
      act('notify_customer', (_r, k) => ({ refund_id: k, channel: 'email' }), () => ({ sent: true })),
    ],
    result: (key) => ({ refund_id: key, refunded: true }),
    signals: ['manual_review_done'],
  },
];

export function workflowDef(name: string): WorkflowDef {
  const def = WORKFLOWS.find((w) => w.name === name);
  if (!def) throw new Error(`unknown demo workflow ${name}`);
  return def;
}

/** A Python traceback as the workers (Python SDK) would report it. */
export function pythonTrace(file: string, line: number, fn: string, code: string, error: string): string {
  return [
    'Traceback (most recent call last):',
    '  File "/app/.venv/lib/python3.12/site-packages/temporalio/worker/_activity.py", line 463, in _run_activity',
    '    result = await impl.execute_activity(input)',
    '  File "/app/.venv/lib/python3.12/site-packages/temporalio/worker/_activity.py", line 720, in execute_activity',
    '    return await input.fn(*input.args)',
    `  File "${file}", line ${line}, in ${fn}`,
    `    ${code}`,
    error,
  ].join('\n');
}
