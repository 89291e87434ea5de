/**
 * The demo workflows: names, deployments and the activities each one runs, with plausible inputs and
 * results. Everything is drawn from the seeded PRNG so the data is the same for the same seed.
 */
import type { Random } from './random';

interface ActivityDef {
  name: string;
  input: (rng: Random, key: string) => unknown;
  result: (rng: Random, key: string) => unknown;
  /** How it fails when a seeded execution fails in it. */
  failure: ActivityFailure;
}

/**
 * One bug or outage of an activity, the same in every execution it fails: the Python exception (its
 * class name is Temporal's application failure type) and where it is raised. Only the message's values
 * differ from one execution to the next, so the failures of one activity make one incident.
 */
interface ActivityFailure {
  type: string;
  /** The message for the execution with business key `key`; `n` (0..9999) and `m` (20..240) are drawn for it. */
  message: (key: string, n: number, m: number) => string;
  line: number;
  /** The line of the activity that raises it. */
  code: string;
}

const fails = (type: string, message: ActivityFailure['message'], line: number, code: string): ActivityFailure => ({ type, message, line, code });
const CURRENCIES = ['BRL', 'ARS', 'TRY', 'NGN', 'EGP'];
const COUNTRIES = ['HR', 'BG', 'RO', 'CY', 'MT'];
const NAMES = ['ana', 'li.wei', 'tom.b', 'amara', 'jonas', 'priya.k'];

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
  failure: ActivityFailure,
): ActivityDef => ({ name, input, result, failure });

export const WORKFLOWS: WorkflowDef[] = [
  {
    name: 'order-fulfillment',
    deployments: ['prod-eu-west', 'prod-us-east'],
    key: (rng) => `ord_${rng.hex(8).toUpperCase()}`,
    input: (key) => ({ order_id: key, channel: 'web' }),
    activities: [
      act('validate_order', (_r, k) => ({ order_id: k }), () => ({ valid: true }),
        fails('ValidationError', (k) => `order '${k}' has no line items`, 31, 'raise ValidationError(f"order {order_id!r} has no line items")')),
      act('reserve_inventory', (r, k) => ({ order_id: k, skus: r.int(1, 5) }), (r) => ({ reservation_id: `res_${r.hex(10)}` }),
        fails('InsufficientStockError', (_k, n, m) => `SKU 'SKU-${1000 + (n % 9000)}' has ${m % 4} units left, ${(m % 4) + 2} requested`, 54, 'raise InsufficientStockError(sku, available, requested)')),
      act('charge_payment', (r, k) => ({ order_id: k, amount_cents: r.int(900, 48_000), currency: 'EUR' }), (r) => ({ payment_id: `pay_${r.hex(12)}`, status: 'captured' }),
        fails('CardError', (_k, n) => `Your card was declined. (decline_code: 'insufficient_funds', amount: ${n} EUR)`, 71, 'intent = await stripe.PaymentIntent.create_async(**params)')),
      act('create_shipment', (_r, k) => ({ order_id: k, carrier: 'colissimo' }), (r) => ({ shipment_id: `shp_${r.hex(10)}`, tracking_number: `6A${r.int(10_000_000, 99_999_999)}` }),
        fails('KeyError', () => "'shipping_address'", 88, 'address = order["shipping_address"]')),
      act('send_confirmation_email', (_r, k) => ({ order_id: k, template: 'order_shipped' }), (r) => ({ message_id: `<${r.hex(16)}@mail.example.com>` }),
        fails('SMTPServerDisconnected', () => 'Connection unexpectedly closed', 112, 'await smtp.send_message(message)')),
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
      act('fetch_invoices', (_r, k) => ({ batch_id: k }), (r) => ({ count: r.int(12, 400) }),
        fails('HTTPStatusError', () => "Server error '502 Bad Gateway' for url 'https://api.stripe.com/v1/invoices?limit=100'", 27, 'resp.raise_for_status()')),
      act('convert_currency', (_r, k) => ({ batch_id: k, to: 'EUR' }), (r) => ({ converted: r.int(12, 400), rate_date: '2026-01-15' }),
        fails('RateUnavailableError', (_k, n, m) => `no EUR rate for '${CURRENCIES[n % CURRENCIES.length]}' on 2026-01-${String(10 + (m % 19)).padStart(2, '0')}`, 46, 'rate = await rates.get(invoice.currency, on=invoice.date)')),
      act('compute_tax', (_r, k) => ({ batch_id: k, regime: 'EU-OSS' }), (r) => ({ tax_total_cents: r.int(10_000, 900_000) }),
        fails('LookupError', (_k, n) => `no VAT rate for country '${COUNTRIES[n % COUNTRIES.length]}' under regime 'EU-OSS'`, 63, 'rate = VAT_RATES[regime][invoice.country]')),
      act('push_to_ledger', (_r, k) => ({ batch_id: k }), (r) => ({ journal_entry: `JE-${r.int(100_000, 999_999)}` }),
        fails('ConnectionResetError', () => '[Errno 104] Connection reset by peer', 95, 'await conn.execute(query)')),
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
      act('download_document', (_r, k) => ({ document_id: k }), (r) => ({ bytes: r.int(20_000, 9_000_000) }),
        fails('HTTPStatusError', (k) => `Client error '404 Not Found' for url 'https://files.example.com/${k}.pdf'`, 22, 'resp.raise_for_status()')),
      act('extract_text', (_r, k) => ({ document_id: k, ocr: true }), (r) => ({ pages: r.int(1, 120) }),
        fails('FileNotDecryptedError', () => 'File has not been decrypted', 41, 'text = "\\n".join(page.extract_text() for page in reader.pages)')),
      act('chunk_document', (_r, k) => ({ document_id: k, chunk_size: 1024 }), (r) => ({ chunks: r.int(4, 600) }),
        fails('ValueError', (_k, n, m) => `chunk ${m} of page ${1 + (n % 120)} is empty after cleaning`, 77, 'raise ValueError(f"chunk {i} of page {page} is empty after cleaning")')),
      act('embed_chunks', (_r, k) => ({ document_id: k, model: 'mistral-embed' }), (r) => ({ vectors: r.int(4, 600) }),
        fails('HTTPStatusError', () => "Client error '429 Too Many Requests' for url 'https://api.mistral.ai/v1/embeddings'", 98, 'resp.raise_for_status()')),
      act('index_chunks', (_r, k) => ({ document_id: k, index: 'kb-main' }), () => ({ indexed: true }),
        fails('TimeoutError', () => "index 'kb-main' did not acknowledge within 30s", 120, 'await asyncio.wait_for(index.upsert(vectors), timeout=30)')),
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
      act('create_account', (_r, k) => ({ customer_id: k }), (r) => ({ account_id: `acc_${r.hex(10)}` }),
        fails('UniqueViolationError', () => 'duplicate key value violates unique constraint "accounts_email_key"', 19, 'await conn.execute(INSERT_ACCOUNT, customer_id, email)')),
      act('verify_identity', (_r, k) => ({ customer_id: k, provider: 'onfido' }), () => ({ verified: true }),
        fails('HTTPStatusError', () => "Server error '503 Service Unavailable' for url 'https://api.eu.onfido.com/v3.6/checks'", 44, 'resp.raise_for_status()')),
      act('provision_workspace', (_r, k) => ({ customer_id: k, region: 'eu' }), (r) => ({ workspace_id: r.uuid() }),
        fails('TimeoutError', (k) => `workspace for customer '${k}' not ready after 300s`, 68, 'await wait_until_ready(workspace, timeout=300)')),
      act('send_welcome_email', (_r, k) => ({ customer_id: k }), (r) => ({ message_id: `<${r.hex(16)}@mail.example.com>` }),
        fails('InactiveRecipientError', (_k, n) => `[406] You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: '${NAMES[n % NAMES.length]}.${n}@example.com'.`, 102, 'await postmark.emails.send(**message)')),
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
      act('query_metrics', (_r, k) => ({ report_date: k }), (r) => ({ rows: r.int(1000, 90_000) }),
        fails('QueryCanceledError', () => 'canceling statement due to statement timeout', 25, 'rows = await conn.fetch(METRICS_QUERY, report_date)')),
      act('render_report', (_r, k) => ({ report_date: k, format: 'pdf' }), (r) => ({ pages: r.int(3, 30) }),
        fails('ValueError', (k) => `report for '${k}' has no rows to render`, 58, 'raise ValueError(f"report for {report_date!r} has no rows to render")')),
      act('upload_report', (_r, k) => ({ report_date: k, bucket: 'reports' }), (_r, k) => ({ url: `s3://reports/${k}.pdf` }),
        fails('ClientError', () => 'An error occurred (AccessDenied) when calling the PutObject operation: Access Denied', 83, 'await s3.put_object(Bucket=bucket, Key=key, Body=pdf)')),
      act('notify_slack', () => ({ channel: '#ops-reports' }), () => ({ ok: true }),
        fails('SlackApiError', () => "The request to the Slack API failed. (url: https://slack.com/api/chat.postMessage)\nThe server responded with: {'ok': False, 'error': 'channel_not_found'}", 104, 'await slack.chat_postMessage(channel=channel, text=summary)')),
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
      act('load_refund_request', (_r, k) => ({ refund_id: k }), (r) => ({ amount_cents: r.int(500, 25_000) }),
        fails('KeyError', () => "'amount_cents'", 23, 'amount = request["amount_cents"]')),
      act('check_fraud_score', (_r, k) => ({ refund_id: k }), (r) => ({ score: r.int(1, 40) / 100 }),
        fails('ServiceUnavailable', () => 'fraud-score service unavailable (HTTP 503)', 49, 'score = await fraud.score(refund_id)')),
      act('issue_refund', (_r, k) => ({ refund_id: k }), (r) => ({ refund_tx: `re_${r.hex(14)}` }),
        fails('InvalidRequestError', (_k, n, m) => `Charge ch_3Pq${n}Rz${m}WdK has already been refunded.`, 76, 'refund = await stripe.Refund.create_async(charge=charge_id)')),
      act('notify_customer', (_r, k) => ({ refund_id: k, channel: 'email' }), () => ({ sent: true }),
        fails('SMTPServerDisconnected', () => 'Connection unexpectedly closed', 97, 'await smtp.send_message(message)')),
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

const ACTIVITY_FRAMES = [
  '  File "/app/.venv/lib/python3.12/site-packages/temporalio/worker/_activity.py", line 463, in _run_activity',
  '    result = await impl.execute_activity(input)',
  '  File "/app/.venv/lib/python3.12/site-packages/temporalio/worker/_activity.py", line 720, in execute_activity',
  '    return await input.fn(*input.args)',
];

/** What the Python SDK runs a workflow's code under, for a traceback raised in it. */
export const WORKFLOW_FRAMES = [
  '  File "/app/.venv/lib/python3.12/site-packages/temporalio/worker/_workflow_instance.py", line 2115, in _run_top_level_workflow_function',
  '    await coro',
  '  File "/app/.venv/lib/python3.12/site-packages/temporalio/worker/_workflow_instance.py", line 2968, in execute_workflow',
  '    return await input.run_fn(*args)',
];

/** A Python traceback as the workers (Python SDK) would report it: raised in an activity unless `frames` say otherwise. */
export function pythonTrace(file: string, line: number, fn: string, code: string, error: string, frames = ACTIVITY_FRAMES): string {
  return [
    'Traceback (most recent call last):',
    ...frames,
    `  File "${file}", line ${line}, in ${fn}`,
    `    ${code}`,
    error,
  ].join('\n');
}
